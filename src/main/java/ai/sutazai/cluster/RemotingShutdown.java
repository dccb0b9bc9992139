package ai.sutazai.cluster;

import akka.Done;
import akka.actor.ActorRef;
import akka.actor.Cancellable;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.io.TcpMessage;
import akka.remote.RemoteActorRefProvider;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Lets a node with TLS remoting finish stopping while its peers keep running: in the coordinated shutdown's last
 * phase, the TCP connections still open {@link #MARGIN} after remoting's flush
 * ({@code akka.remote.artery.advanced.shutdown-flush-timeout}) are aborted, unless the actor system has terminated by
 * then. Loaded into every product actor system by {@code akka.actor.typed.library-extensions}
 * (sutazai-reference.conf); does nothing unless the system's remoting is Artery {@code tls-tcp}.
 *
 * <p>The hazard it closes (Akka 2.6.21): a stopping actor system first waits, with no time limit, until every
 * outbound remoting stream has completed. Artery ends them all with one kill switch, which also stops the inbound
 * control stream, and that stream, whatever the cause, tells each outbound control stream's system-message stage that
 * it ended normally. When that news reaches an outbound control stream before the kill switch's failure does, the
 * stream completes instead of failing. Artery opens its TLS connections with {@code TLSClosing.IgnoreComplete}: a
 * completed outbound stream does not close its connection, which stays open until the peer closes it. So the node
 * stopped only when its peers did (seen in the cluster tests as "Failed to stop [sutazai] within [1 minute]", in about
 * one stop in four with peers up; a thread dump shows nothing blocked, only the remoting terminator waiting and one
 * TLS stage per peer still open). Over plain TCP the completion half-closes the socket and the peer closes it.
 * Aborting the connection ends that TLS stage, so the stream completes and the system terminates.
 */
public final class RemotingShutdown extends ExtensionId<RemotingShutdown.Registered> {
  /** Time past the flush timeout after which the remaining connections are aborted: longer than a healthy stop. */
  static final Duration MARGIN = Duration.ofSeconds(2);
  /** The actors of Akka's TCP layer that own a connection (or a listening socket): children of its selectors. */
  static final String CONNECTIONS = "/system/IO-TCP/selectors/*/*";

  private static final RemotingShutdown INSTANCE = new RemotingShutdown();

  private RemotingShutdown() {}

  /** The extension's id; Akka loads a Java extension named in the configuration through this method. */
  public static RemotingShutdown getInstance() {
    return INSTANCE;
  }

  /** Marks the system as having the shutdown task. */
  public static final class Registered implements Extension {
    private Registered() {}
  }

  @Override
  public Registered createExtension(ActorSystem<?> system) {
    akka.actor.ActorSystem classic = system.classicSystem();
    Config conf = system.settings().config();
    boolean tls = ((akka.actor.ExtendedActorSystem) classic).provider() instanceof RemoteActorRefProvider
        && conf.getBoolean("akka.remote.artery.enabled")
        && "tls-tcp".equals(conf.getString("akka.remote.artery.transport"));
    if (tls) {
      Duration grace = conf.getDuration("akka.remote.artery.advanced.shutdown-flush-timeout").plus(MARGIN);
      CoordinatedShutdown.get(classic).addTask(CoordinatedShutdown.PhaseActorSystemTerminate(),
          "sutazai-abort-remaining-remoting-connections", () -> abortLater(system, grace));
    }
    return new Registered();
  }

  /**
   * Aborts every TCP connection (and listening socket) of Akka's TCP layer in {@code system}, as the kernel closes
   * the sockets of a killed process.
   */
  public static void abortConnections(akka.actor.ActorSystem system) {
    system.actorSelection(CONNECTIONS).tell(TcpMessage.abort(), ActorRef.noSender());
  }

  private static CompletableFuture<Done> abortLater(ActorSystem<?> system, Duration grace) {
    CompletableFuture<Done> done = new CompletableFuture<>();
    akka.actor.ActorSystem classic = system.classicSystem();
    Cancellable timer;
    try {
      timer = classic.scheduler().scheduleOnce(grace, () -> {
        if (!done.isDone()) {
          system.log().info("Remoting has not finished stopping {} ms into the shutdown; aborting the TCP connections "
              + "it still holds (an outbound TLS stream left open by Akka)", grace.toMillis());
          abortConnections(classic);
        }
        done.complete(Done.getInstance());
      }, classic.dispatcher());
    } catch (IllegalStateException schedulerStopped) {
      done.complete(Done.getInstance());
      return done;
    }
    system.getWhenTerminated().whenComplete((d, e) -> {
      timer.cancel();
      done.complete(Done.getInstance());
    });
    return done;
  }
}
