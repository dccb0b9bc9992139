package ai.sutazai.cluster;

import ai.sutazai.common.JournalHealth;
import akka.actor.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Akka Management readiness check (akka.management.health-checks.readiness-checks.journal): no
 * event-sourced actor of this node waits to recover from a journal failure ({@link JournalHealth}), and
 * the event journal's database accepts a connection and answers {@code select 1} within
 * {@code sutazai.cluster.readiness.journal-timeout}. Either way a failure says "journal unavailable: ...".
 *
 * <p>It opens its own plain JDBC connection from the journal's database settings (the shared database
 * named by {@code jdbc-journal.use-shared-db}, else {@code jdbc-journal.slick.db}) instead of borrowing
 * from the journal's pool: a probe must not queue behind journal writes, nor take a connection they
 * need. Hazard: the connection is opened and closed on every probe, so probes must stay infrequent
 * (seconds apart, as Kubernetes and load balancers do).
 */
public final class JournalReadinessCheck implements Supplier<CompletionStage<Boolean>> {
  private final BoundedCheck check;
  private final JdbcTarget target;
  private final int timeoutSeconds;
  private final JournalHealth health;

  /** Called by Akka Management with the classic ActorSystem. */
  public JournalReadinessCheck(ActorSystem system) {
    Config conf = system.settings().config();
    Duration timeout = conf.getDuration("sutazai.cluster.readiness.journal-timeout");
    this.target = JdbcTarget.ofJournal(conf);
    this.timeoutSeconds = (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
    this.check = new BoundedCheck(system, JournalHealth.PREFIX + "journal database " + target.url(), timeout);
    this.health = JournalHealth.get(Adapter.toTyped(system));
  }

  @Override
  public CompletionStage<Boolean> get() {
    Optional<String> problem = health.problem();
    if (problem.isPresent()) {
      return CompletableFuture.failedFuture(new IllegalStateException(problem.get()));
    }
    return check.run(this::selectOne);
  }

  private void selectOne() {
    try (Connection c = DriverManager.getConnection(target.url(), target.properties(timeoutSeconds));
        Statement s = c.createStatement()) {
      s.setQueryTimeout(timeoutSeconds);
      s.execute("select 1");
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Where the journal's database is: URL, credentials and driver class. */
  record JdbcTarget(String url, String user, String password, String driver) {
    static JdbcTarget ofJournal(Config conf) {
      String shared = conf.hasPath("jdbc-journal.use-shared-db") ? conf.getString("jdbc-journal.use-shared-db") : "";
      String path = shared.isBlank()
          ? "jdbc-journal.slick.db"
          : "akka-persistence-jdbc.shared-databases.\"" + shared + "\".db";
      if (!conf.hasPath(path + ".url")) {
        throw new IllegalArgumentException("journal database not configured: no " + path + ".url");
      }
      Config db = conf.getConfig(path);
      String driver = db.hasPath("driver") ? db.getString("driver") : "";
      if (!driver.isBlank()) {
        try {
          Class.forName(driver);
        } catch (ClassNotFoundException e) {
          throw new IllegalArgumentException(path + ".driver: class " + driver + " not found", e);
        }
      }
      return new JdbcTarget(db.getString("url"), db.hasPath("user") ? db.getString("user") : "",
          db.hasPath("password") ? db.getString("password") : "", driver);
    }

    /** Credentials, plus connect and socket timeouts where the driver knows them (H2 rejects unknown keys). */
    Properties properties(int timeoutSeconds) {
      Properties p = new Properties();
      p.setProperty("user", user);
      p.setProperty("password", password);
      if (url.startsWith("jdbc:postgresql:")) {
        p.setProperty("connectTimeout", Integer.toString(timeoutSeconds));
        p.setProperty("loginTimeout", Integer.toString(timeoutSeconds));
        p.setProperty("socketTimeout", Integer.toString(timeoutSeconds));
      }
      return p;
    }
  }
}
