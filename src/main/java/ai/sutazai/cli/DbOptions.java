package ai.sutazai.cli;

import ai.sutazai.metrics.baseline.BaselineStore;

import ai.sutazai.common.Settings;
import com.typesafe.config.Config;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options shared by every {@code baseline} command: where the configuration and the database are. */
public final class DbOptions {
  @Option(names = "--config", paramLabel = "FILE", description = "Extra configuration file (HOCON) over conf/application.conf.")
  Path config;

  @Mixin
  BaselineDbOptions baseline;

  private Config loaded;

  public Config config() {
    if (loaded == null) {
      loaded = Settings.load(config);
    }
    return loaded;
  }

  /** Opens the database (applying migrations); an unreachable one is a {@link UserError}. */
  public BaselineStore openStore() {
    return baseline.database().open(config());
  }
}
