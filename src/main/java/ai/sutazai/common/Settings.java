package ai.sutazai.common;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds the layered configuration: {@code -Dkey=value} system properties over {@code --config FILE}
 * over {@code conf/application.conf} over every {@code reference.conf}, resolved once at the end so that
 * a higher layer can redirect a substitution made in a lower one (for example the journal database).
 *
 * <p>{@code conf/application.conf} is looked up in {@code $SUTAZAI_HOME/conf}, then {@code ./conf}, then
 * inside the jar (the same files are packaged), so the jar runs from any directory.
 */
public final class Settings {
  private Settings() {}

  /** Loads the layers; {@code extra} (may be null) is the file given with {@code --config}. */
  public static Config load(Path extra) {
    return load(extra, ConfigFactory.empty());
  }

  /** As {@link #load(Path)}, with {@code overrides} placed just under the system properties (defaultOverrides). */
  public static Config load(Path extra, Config overrides) {
    Config layered = overrides;
    if (extra != null) {
      if (!Files.isRegularFile(extra)) {
        throw new SettingsException("--config " + extra + ": no such file");
      }
      layered = layered.withFallback(parseFile(extra));
    }
    layered = layered.withFallback(applicationConf());
    return ConfigFactory.defaultOverrides()
        .withFallback(layered)
        .withFallback(ConfigFactory.defaultReference())
        .resolve(ConfigResolveOptions.defaults());
  }

  /** The operator's {@code conf/application.conf}, from disk if present, else from the jar. */
  public static Config applicationConf() {
    Path dir = confDir();
    if (dir != null) {
      return parseFile(dir.resolve("application.conf"));
    }
    return ConfigFactory.parseResources("conf/application.conf",
        ConfigParseOptions.defaults().setAllowMissing(false));
  }

  /** The directory holding {@code application.conf} on disk, or null when only the jar's copy exists. */
  public static Path confDir() {
    String home = System.getenv("SUTAZAI_HOME");
    if (home != null && Files.isRegularFile(Path.of(home, "conf", "application.conf"))) {
      return Path.of(home, "conf");
    }
    if (Files.isRegularFile(Path.of("conf", "application.conf"))) {
      return Path.of("conf");
    }
    return null;
  }

  private static Config parseFile(Path file) {
    try {
      return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (com.typesafe.config.ConfigException e) {
      throw new SettingsException(e.getMessage());
    }
  }

  /** A config holding just the given paths, for tests and command-line overrides. */
  public static Config of(Map<String, ?> values) {
    return ConfigFactory.parseMap(values);
  }
}
