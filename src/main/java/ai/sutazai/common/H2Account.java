package ai.sutazai.common;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The account of the embedded H2 databases under the data directory (the journal, the baselines): a random
 * password generated at first start into {@code <data-dir>/h2.password} (0600, in the data directory made 0700),
 * filled into the configuration wherever an H2 file database is configured without a password. Every process
 * that reads the configuration -- {@code run}, and {@code analyze} or {@code health-fix --history} reaching the
 * running daemon's database through H2's AUTO_SERVER port -- gets the same password from the same file.
 *
 * <p>The hazard: H2's AUTO_SERVER serves the database on a TCP port to anyone who knows the key written in the
 * {@code .lock.db} file; with the historic account ({@code sa}, no password) that was the whole of the protection,
 * and an H2 admin may run Java ({@code CREATE ALIAS}) inside the daemon, which holds the Docker socket.
 *
 * <p>A database made by an earlier version (account {@code sa}, no password) is upgraded when first opened: the
 * configured account is created as its admin with the generated password, and {@code sa} gets a random password
 * nobody keeps.
 */
public final class H2Account {
  private H2Account() {}

  /** The file holding the password, in the data directory. */
  public static final String PASSWORD_FILE = "h2.password";
  private static final String H2_FILE = "jdbc:h2:file:";
  /** H2's error code for a wrong user name or password. */
  private static final int WRONG_USER_OR_PASSWORD = 28000;

  /** Where an H2 database's URL, user and password sit in the configuration. */
  private record Slot(String url, String user, String password) {}

  private static final List<Slot> SLOTS = List.of(
      new Slot("akka-persistence-jdbc.shared-databases.h2.db.url", "akka-persistence-jdbc.shared-databases.h2.db.user",
          "akka-persistence-jdbc.shared-databases.h2.db.password"),
      new Slot("akka-persistence-jdbc.shared-databases.h2-ledger.db.url",
          "akka-persistence-jdbc.shared-databases.h2-ledger.db.user",
          "akka-persistence-jdbc.shared-databases.h2-ledger.db.password"),
      new Slot("sutazai.metrics.baseline.db-url", "sutazai.metrics.baseline.user", "sutazai.metrics.baseline.password"));

  /**
   * {@code conf} with the generated password filled into every H2 file database that has none configured (creating
   * the data directory 0700 and the password file 0600 when due, narrowing what an earlier version left readable,
   * and upgrading a database that still has the old account). Unchanged when no such database is configured.
   */
  public static Config apply(Config conf) {
    return fill(conf, true);
  }

  /**
   * As {@link #apply}, but writes nothing: the password is filled in only when the data directory already holds
   * it (what a command that only looks, such as {@code run --dry-run}, needs to read existing databases).
   */
  public static Config existing(Config conf) {
    return fill(conf, false);
  }

  private static Config fill(Config conf, boolean create) {
    if (!conf.hasPath("sutazai.data-dir")) {
      return conf;
    }
    Map<String, Object> overlay = new HashMap<>();
    String secret = null;
    for (Slot slot : SLOTS) {
      if (!conf.hasPath(slot.url()) || !conf.getString(slot.url()).startsWith(H2_FILE)
          || !conf.getString(slot.password()).isEmpty()) {
        continue;
      }
      if (!create) {
        Path file = Path.of(conf.getString("sutazai.data-dir")).resolve(PASSWORD_FILE);
        if (java.nio.file.Files.isRegularFile(file)) {
          overlay.put(slot.password(), PrivateFiles.readSecret(file));
        }
        continue;
      }
      if (secret == null) {
        Path dataDir = Path.of(conf.getString("sutazai.data-dir"));
        PrivateFiles.narrowTree(dataDir);
        secret = PrivateFiles.secret(dataDir.resolve(PASSWORD_FILE));
      }
      String url = conf.getString(slot.url());
      upgradeLegacy(url, conf.getString(slot.user()), secret);
      overlay.put(slot.password(), secret);
    }
    return overlay.isEmpty() ? conf : ConfigFactory.parseMap(overlay).withFallback(conf);
  }

  /**
   * When the database exists and refuses {@code user}/{@code password} but opens with the old account ({@code sa},
   * no password): creates {@code user} as an admin with {@code password} and locks {@code sa} with a throwaway one.
   */
  static void upgradeLegacy(String url, String user, String password) {
    if (H2Files.missing(url)) {
      return;
    }
    try (Connection ignored = DriverManager.getConnection(url, user, password)) {
      return;
    } catch (SQLException e) {
      if (e.getErrorCode() != WRONG_USER_OR_PASSWORD) {
        return; // in use without AUTO_SERVER, corrupt, ...: left to the caller, which reports it
      }
    }
    try (Connection legacy = DriverManager.getConnection(url, "sa", "");
        Statement st = legacy.createStatement()) {
      // Passwords are base64url (letters, digits, - and _): safe inside a quoted literal.
      st.execute("CREATE USER IF NOT EXISTS " + quote(user) + " PASSWORD '" + literal(password) + "' ADMIN");
      st.execute("ALTER USER " + quote(user) + " SET PASSWORD '" + literal(password) + "'");
      if (!user.equalsIgnoreCase("sa")) {
        byte[] bytes = new byte[24];
        new java.security.SecureRandom().nextBytes(bytes);
        st.execute("ALTER USER SA SET PASSWORD '"
            + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes) + "'");
      }
    } catch (SQLException e) {
      throw new SettingsException("H2 database " + H2Files.path(url) + ": refuses the account '" + user
          + "' with the password in " + PASSWORD_FILE + " of the data directory, and is not a database of an earlier "
          + "version either (" + e.getMessage() + ")");
    }
  }

  private static String quote(String identifier) {
    return "\"" + identifier.toUpperCase(java.util.Locale.ROOT).replace("\"", "\"\"") + "\"";
  }

  private static String literal(String value) {
    return value.replace("'", "''");
  }
}
