package ai.sutazai.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded journal is no longer open to whoever finds it: the data directory is 0700, the H2 account is not
 * {@code sa} without a password but one with a random password kept 0600 in the data directory, which another
 * process (as {@code analyze} is, reaching a running daemon's database through AUTO_SERVER) needs to read it; and a
 * database of an earlier version is moved to that account without losing data.
 */
class H2AccountTest {
  private static final String H2 = "akka-persistence-jdbc.shared-databases.h2.db.";

  @TempDir Path tmp;

  private static Config load(Path dataDir) {
    return Settings.load(null, ConfigFactory.parseMap(Map.of("sutazai.data-dir", dataDir.toString(),
        "sutazai.persistence.db", "h2")));
  }

  @Test
  void aNewDataDirIsPrivateAndTheJournalNeedsTheGeneratedPassword() throws Exception {
    Path dataDir = tmp.resolve("data");
    Config conf = load(dataDir);

    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)));
    Path file = dataDir.resolve(H2Account.PASSWORD_FILE);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    String password = conf.getString(H2 + "password");
    assertTrue(password.length() >= 32, "a generated password, got '" + password + "'");
    assertEquals(password, Files.readString(file).trim());
    assertEquals("sutazai", conf.getString(H2 + "user"));
    assertEquals(password, conf.getString("sutazai.metrics.baseline.password"));
    assertEquals(password, load(dataDir).getString(H2 + "password"), "the same password on every load");

    String url = conf.getString(H2 + "url");
    // The first process opens the file (as the daemon does) and keeps it open: H2 serves it on AUTO_SERVER.
    try (Connection daemon = DriverManager.getConnection(url, "sutazai", password);
        Statement st = daemon.createStatement()) {
      st.execute("create table t(x int)");
      st.execute("insert into t values (42)");
      // Another process: without the password it is refused, with the file's password it reads.
      assertTrue(otherProcess(url, "sa", "").contains("28000"), "sa without a password must be refused");
      assertTrue(otherProcess(url, "sutazai", "").contains("28000"), "no password must be refused");
      assertEquals("42", otherProcess(url, "sutazai", password).trim());
    }
  }

  @Test
  void aDatabaseOfAnEarlierVersionMovesToTheNewAccountAndKeepsItsData() throws Exception {
    Path dataDir = tmp.resolve("old");
    Files.createDirectories(dataDir.resolve("journal"));
    Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    String url = "jdbc:h2:file:" + dataDir.resolve("journal/sutazai") + ";WRITE_DELAY=0;AUTO_SERVER=TRUE";
    try (Connection old = DriverManager.getConnection(url, "sa", ""); Statement st = old.createStatement()) {
      st.execute("create table t(x int)");
      st.execute("insert into t values (7)");
    }
    Path journalFile = dataDir.resolve("journal/sutazai.mv.db");
    Files.setPosixFilePermissions(journalFile, PosixFilePermissions.fromString("rw-r--r--"));

    Config conf = load(dataDir);

    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(journalFile)));
    String password = conf.getString(H2 + "password");
    try (Connection c = DriverManager.getConnection(url, "sutazai", password); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select x from t")) {
      assertTrue(rs.next());
      assertEquals(7, rs.getInt(1));
    }
    SQLException refused = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "sa", "").close());
    assertEquals(28000, refused.getErrorCode());
    assertNotEquals("", password);
  }

  /** Runs {@link H2Read} in a new JVM: what another local process (analyze, health-fix) would get. */
  private static String otherProcess(String url, String user, String password) throws Exception {
    Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), H2Read.class.getName(), url, user, password))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the reading process did not finish: " + out);
    return out;
  }

  /** Reads {@code select x from t} and prints it, or prints the SQL error code. */
  public static final class H2Read {
    public static void main(String[] args) {
      try (Connection c = DriverManager.getConnection(args[0], args[1], args.length > 2 ? args[2] : "");
          Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select x from t")) {
        rs.next();
        System.out.println(rs.getInt(1));
      } catch (SQLException e) {
        System.out.println("error " + e.getErrorCode() + ": " + e.getMessage());
      }
    }
  }
}
