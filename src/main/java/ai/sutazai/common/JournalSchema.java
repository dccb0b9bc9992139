package ai.sutazai.common;

import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The journal's tables (akka-persistence-jdbc's {@code event_journal}, {@code event_tag}, {@code snapshot},
 * {@code durable_state}), made and upgraded by Flyway from the migrations in the jar under
 * {@code db/journal/h2} or {@code db/journal/postgres}: version 1 is the plugin's own DDL for that database.
 *
 * <p>The journal keeps a Flyway history of its own ({@value #HISTORY_TABLE}, next to the journal's tables),
 * apart from the baselines' {@code flyway_schema_history}: the baselines may live in another database
 * (an H2 file of their own, or another PostgreSQL schema or server), and the journal's migrations follow
 * the plugin's versions, not ours.
 *
 * <p>A journal made before there were migrations (by the plugin's testkit {@code SchemaUtils}, as earlier
 * versions did, or from {@code cluster/postgres/schema.sql}) has the tables and no history: Flyway then
 * records a baseline at version 1 (the tables are the plugin's 5.1.0 ones) and runs only what comes after.
 * A database without the journal's tables but with other tables (for instance a PostgreSQL {@code public}
 * schema shared with something else) is baselined at version 0, so that version 1 still runs.
 *
 * <p>Blocking (JDBC); call it on the blocking dispatcher or from the command line. Several processes may
 * migrate the same database at once: Flyway takes a lock, the first applies, the others find it done.
 */
public final class JournalSchema {
  private JournalSchema() {}

  /** The table of the journal's Flyway history. */
  public static final String HISTORY_TABLE = "flyway_journal_history";

  /** The Flyway version of the tables akka-persistence-jdbc's SchemaUtils used to create (5.1.0's DDL). */
  static final String LEGACY_VERSION = "1";

  /**
   * What {@link #migrate} did: whether it recorded existing tables as a baseline, how many migrations it
   * ran, and the journal's version afterwards.
   */
  public record Outcome(String db, boolean baselined, int applied, String version) {}

  /**
   * Brings the journal of {@code config} ({@code sutazai.persistence.db} and its shared database) to the
   * latest migration.
   *
   * @throws SettingsException when the database is not one this product ships migrations for
   * @throws IllegalStateException when the database refuses (message with the URL and the cause)
   */
  public static Outcome migrate(Config config) {
    String db = config.getString("sutazai.persistence.db");
    if (!db.equals("h2") && !db.equals("postgres")) {
      throw new SettingsException("sutazai.persistence.db = " + db + ": expected h2 or postgres");
    }
    Config conn = config.getConfig("akka-persistence-jdbc.shared-databases." + db + ".db");
    String url = conn.getString("url");
    String user = conn.getString("user");
    String password = conn.getString("password");
    try {
      boolean legacy = hasJournalWithoutHistory(url, user, password, db);
      Flyway flyway = Flyway.configure()
          .dataSource(url, user, password)
          .locations("classpath:db/journal/" + db)
          .table(HISTORY_TABLE)
          .baselineOnMigrate(true)
          .baselineVersion(legacy ? LEGACY_VERSION : "0")
          .baselineDescription(legacy ? "journal tables made before migrations (akka-persistence-jdbc 5.1.0)" : "empty")
          .connectRetries(0)
          .loggers("slf4j")
          .load();
      MigrateResult result = flyway.migrate();
      var current = flyway.info().current();
      return new Outcome(db, legacy, result.migrationsExecuted, current == null ? null : current.getVersion().getVersion());
    } catch (FlywayException | SQLException e) {
      throw new IllegalStateException("cannot migrate the journal's tables in " + url + ": " + root(e), e);
    }
  }

  /** Whether {@code event_journal} exists in the journal's schema while the history table does not. */
  private static boolean hasJournalWithoutHistory(String url, String user, String password, String db) throws SQLException {
    // The plugin's DDL names its tables in lower case: quoted in H2, public.* in PostgreSQL.
    String schema = db.equals("h2") ? "PUBLIC" : "public";
    try (Connection c = DriverManager.getConnection(url, user, password);
        PreparedStatement ps = c.prepareStatement(
            "select table_name from information_schema.tables where table_schema = ? and table_name in (?, ?)")) {
      ps.setString(1, schema);
      ps.setString(2, "event_journal");
      ps.setString(3, HISTORY_TABLE);
      boolean journal = false;
      boolean history = false;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          journal |= rs.getString(1).equals("event_journal");
          history |= rs.getString(1).equals(HISTORY_TABLE);
        }
      }
      return journal && !history;
    }
  }

  private static String root(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
  }
}
