package ai.sutazai.metrics.baseline;

import ai.sutazai.config.Settings;
import com.typesafe.config.Config;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by every {@code baseline} command: where the configuration and the database are. */
public final class DbOptions {
  @Option(names = "--config", paramLabel = "FILE", description = "Extra configuration file (HOCON) over conf/application.conf.")
  Path config;

  @Option(names = "--db", paramLabel = "JDBC-URL",
      description = "Baseline database, e.g. jdbc:postgresql://127.0.0.1:5432/sutazai (default: sutazai.metrics.baseline.db-url, an H2 file under the data dir).")
  String dbUrl;

  @Option(names = "--db-user", paramLabel = "USER", description = "Database user (default: sutazai.metrics.baseline.user).")
  String dbUser;

  @Option(names = "--db-password", paramLabel = "PASSWORD", description = "Database password (default: sutazai.metrics.baseline.password).")
  String dbPassword;

  private Config loaded;

  public Config config() {
    if (loaded == null) {
      loaded = Settings.load(config);
    }
    return loaded;
  }

  /** Opens the database (applying migrations); an unreachable one is a {@link UserError}. */
  public BaselineStore openStore() {
    return new BaselineDatabase(dbUrl, dbUser, dbPassword).open(config());
  }
}
