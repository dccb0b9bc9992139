package ai.sutazai.supervisor.healthfix;

import ai.sutazai.common.Concurrency;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A short-lived, local (non-cluster), quiet actor system for command-line tools that read or append to
 * the journal configured in {@code reference.conf} while a daemon may be running.
 */
public final class LocalJournalSystem {
  private LocalJournalSystem() {}

  public static ActorSystem<Void> start(Config config, String name) {
    Config systemConfig = ConfigFactory.parseString("""
        akka.actor.provider = local
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        akka.log-dead-letters = off
        akka.coordinated-shutdown.exit-jvm = off
        """).withFallback(config);
    return ActorSystem.create(Behaviors.empty(), name, systemConfig);
  }

  /** Terminates {@code system} and waits up to 30 s for it. */
  public static void stop(ActorSystem<?> system) {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // shutting down a tool's system; the journal has acknowledged whatever it wrote
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The first line of the innermost cause's message. */
  public static String rootMessage(Throwable e) {
    Throwable t = Concurrency.rootCause(e);
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
  }

  /** The journal's URL, from {@code sutazai.persistence.db} and its shared database settings. */
  public static String url(Config config) {
    String db = config.getString("sutazai.persistence.db");
    return config.getString("akka-persistence-jdbc.shared-databases." + db + ".db.url");
  }

  /** Whether the journal is an H2 file that does not exist yet (reading it would only create it). */
  public static boolean missingH2File(Config config) {
    return ai.sutazai.common.H2Files.missing(url(config));
  }

  /** A user's message for a journal that cannot be used, naming the fix. */
  public static String explain(String db, String url, String why) {
    if (why.contains("already in use") || why.contains("90020")) {
      return "the H2 journal " + url + " is held by a running daemon and its URL lacks AUTO_SERVER=TRUE: add "
          + "\";AUTO_SERVER=TRUE\" to akka-persistence-jdbc.shared-databases.h2.db.url (reference.conf does), "
          + "stop the daemon, or read the same report from its API: GET /api/v1/capacity";
    }
    return "cannot read the journal " + url + ": " + why + " (check sutazai.persistence.db = " + db
        + " and its settings in reference.conf, or --journal-db / --data-dir)";
  }
}
