package ai.sutazai.cli;

import ai.sutazai.common.PrivateFiles;
import ai.sutazai.common.SettingsException;
import ai.sutazai.common.UserError;
import ai.sutazai.metrics.baseline.Baseline;
import ai.sutazai.metrics.baseline.BaselineDatabase;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --db}, {@code --db-user} and {@code --db-password-file}: the baseline database of a command, over
 * {@code sutazai.metrics.baseline}. Use as a picocli {@code @Mixin} ({@code baseline} commands, {@code analyze}).
 * {@code --db-password} is still accepted, with a warning: a password on the command line is visible to every
 * user of the host in {@code ps}.
 */
public final class BaselineDbOptions {
  @Option(names = "--db", paramLabel = "JDBC-URL",
      description = "Baseline database, e.g. jdbc:postgresql://127.0.0.1:5432/sutazai (default: sutazai.metrics.baseline.db-url, an H2 file under the data dir).")
  String dbUrl;

  @Option(names = "--db-user", paramLabel = "USER", description = "Baseline database user (default: sutazai.metrics.baseline.user).")
  String dbUser;

  @Option(names = "--db-password-file", paramLabel = "FILE",
      description = "File whose first line is the baseline database's password (default: sutazai.metrics.baseline.password; "
          + "the H2 file's is generated in the data dir).")
  Path dbPasswordFile;

  @Option(names = "--db-password", paramLabel = "PASSWORD", hidden = true,
      description = "Deprecated: visible in ps to every user of the host; use --db-password-file.")
  String dbPassword;

  /** The database these options name; unset ones take the configuration's values. */
  public BaselineDatabase database() {
    return new BaselineDatabase(dbUrl, dbUser, password());
  }

  private String password() {
    if (dbPasswordFile != null && dbPassword != null) {
      throw new UserError("--db-password and --db-password-file: give one of them (--db-password-file)");
    }
    if (dbPasswordFile != null) {
      try {
        return PrivateFiles.readSecret(dbPasswordFile);
      } catch (SettingsException e) {
        throw new UserError("--db-password-file " + e.getMessage());
      }
    }
    if (dbPassword != null) {
      System.err.println("sutazai: warning: --db-password shows the password to every user of this host (ps); "
          + "use --db-password-file FILE");
    }
    return dbPassword;
  }
}
