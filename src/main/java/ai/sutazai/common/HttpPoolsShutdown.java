package ai.sutazai.common;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.javadsl.Adapter;
import akka.http.javadsl.Http;

/**
 * Closes akka-http's client connection pools in the coordinated shutdown's {@code service-stop} phase, and those
 * opened since in {@code before-actor-system-terminate}, once per actor system. Without it the pools are torn down
 * with the actor system itself and each logs "connection pool ... has shut down unexpectedly" with a stack trace at
 * every ordinary stop. Code that opens client pools calls
 * {@link #register} with its system.
 */
public final class HttpPoolsShutdown implements Extension {
  private static final Id ID = new Id();

  private HttpPoolsShutdown(ActorSystem<?> system) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(Adapter.toClassic(system));
    java.util.function.Supplier<java.util.concurrent.CompletionStage<Done>> close =
        () -> Http.get(system).shutdownAllConnectionPools().thenApply(x -> Done.getInstance());
    shutdown.addTask(CoordinatedShutdown.PhaseServiceStop(), "close-http-client-pools", close);
    // Again right before the actor system terminates: a poll still running after service-stop (a worker's health
    // check) opens a pool again, which would then be torn down with the system and log the same error.
    shutdown.addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "close-http-client-pools-again", close);
  }

  /** Registers the task for {@code system} (once, however often it is called). */
  public static void register(ActorSystem<?> system) {
    system.registerExtension(ID);
  }

  /** The extension's id. */
  public static final class Id extends ExtensionId<HttpPoolsShutdown> {
    @Override
    public HttpPoolsShutdown createExtension(ActorSystem<?> system) {
      return new HttpPoolsShutdown(system);
    }
  }
}
