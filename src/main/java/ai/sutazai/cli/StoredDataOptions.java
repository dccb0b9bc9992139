package ai.sutazai.cli;

import ai.sutazai.common.Settings;

import ai.sutazai.common.UserError;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Options of the commands that read what a daemon stored ({@code analyze}, {@code health-fix}): the extra
 * configuration file, the data directory and which journal. Use as a picocli {@code @Mixin}.
 */
public final class StoredDataOptions {
  @Option(names = "--config", paramLabel = "FILE", description = "Extra configuration file (HOCON) over conf/application.conf.")
  Path configFile;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Data directory holding the H2 journal and baselines (default: sutazai.data-dir).")
  Path dataDir;

  @Option(names = "--journal-db", paramLabel = "h2|postgres", description = "Journal to use (default: sutazai.persistence.db).")
  String journalDb;

  /** The layered configuration with these options over it; a bad --journal-db is a {@link UserError}. */
  public Config load() {
    Map<String, Object> o = new HashMap<>();
    if (dataDir != null) {
      o.put("sutazai.data-dir", dataDir.toString());
    }
    if (journalDb != null) {
      if (!journalDb.equals("h2") && !journalDb.equals("postgres")) {
        throw new UserError("--journal-db '" + journalDb + "': use h2 or postgres");
      }
      o.put("sutazai.persistence.db", journalDb);
    }
    return Settings.load(configFile, ConfigFactory.parseMap(o));
  }
}
