package ai.sutazai.cli;

import ai.sutazai.metrics.baseline.Baseline;
import ai.sutazai.metrics.baseline.BaselineDatabase;

import picocli.CommandLine.Option;

/**
 * {@code --db}, {@code --db-user} and {@code --db-password}: the baseline database of a command, over
 * {@code sutazai.metrics.baseline}. Use as a picocli {@code @Mixin} ({@code baseline} commands, {@code analyze}).
 */
public final class BaselineDbOptions {
  @Option(names = "--db", paramLabel = "JDBC-URL",
      description = "Baseline database, e.g. jdbc:postgresql://127.0.0.1:5432/sutazai (default: sutazai.metrics.baseline.db-url, an H2 file under the data dir).")
  String dbUrl;

  @Option(names = "--db-user", paramLabel = "USER", description = "Baseline database user (default: sutazai.metrics.baseline.user).")
  String dbUser;

  @Option(names = "--db-password", paramLabel = "PASSWORD",
      description = "Baseline database password (default: sutazai.metrics.baseline.password).")
  String dbPassword;

  /** The database these options name; unset ones take the configuration's values. */
  public BaselineDatabase database() {
    return new BaselineDatabase(dbUrl, dbUser, dbPassword);
  }
}
