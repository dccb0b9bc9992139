package ai.sutazai.common;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds the layered configuration, highest first: {@code -Dkey=value} system properties, {@code overrides}
 * (the command line's own options), {@code --config FILE}, the operator's {@code conf/application.conf},
 * then the built-in defaults: {@code sutazai-node.conf} (this product's actor systems are cluster nodes) over
 * every {@code reference.conf}, ours holding every setting with its default. Resolved once at the end, so
 * that a higher layer also redirects a substitution made in a lower one (for example {@code sutazai.data-dir}
 * in the H2 journal's URL). The embedded H2 databases get their generated password from the data directory
 * ({@link H2Account}).
 *
 * <p>{@code conf/application.conf} is looked up in {@code $SUTAZAI_HOME/conf}, then {@code ./conf}, then
 * inside the jar (the same files are packaged), so the jar runs from any directory. As in any Typesafe Config
 * application, {@code -Dconfig.file}, {@code -Dconfig.resource} or {@code -Dconfig.url} replace it. It need
 * not set anything: a key it leaves out keeps its default.
 */
public final class Settings {
  private Settings() {}

  /** The built-in layer between reference.conf and conf/application.conf (classpath resource). */
  static final String NODE_DEFAULTS = "sutazai-node.conf";
  /** Every setting of the product with its default (classpath resource; reference.conf includes it). */
  public static final String PRODUCT_DEFAULTS = "sutazai-reference.conf";

  /** Loads the layers; {@code extra} (may be null) is the file given with {@code --config}. */
  public static Config load(Path extra) {
    return load(extra, ConfigFactory.empty());
  }

  /** As {@link #load(Path)}, with {@code overrides} placed just under the system properties (defaultOverrides). */
  public static Config load(Path extra, Config overrides) {
    return load(extra, overrides, confDir());
  }

  /**
   * As {@link #load(Path, Config)}, but writes nothing to the data directory: the embedded H2 databases get their
   * generated password only if it exists already ({@link H2Account#existing}). For validating input and dry runs;
   * pass the result through {@link H2Account#apply} before opening a database for real.
   */
  public static Config loadWritingNothing(Path extra, Config overrides) {
    return H2Account.existing(layered(extra, overrides, confDir()));
  }

  /** As {@link #load(Path, Config)}, with conf/application.conf read from {@code confDir} (null: the jar's). */
  static Config load(Path extra, Config overrides, Path confDir) {
    // The embedded H2 databases' generated password (H2Account) is filled in last, from the data directory.
    return H2Account.apply(layered(extra, overrides, confDir));
  }

  private static Config layered(Path extra, Config overrides, Path confDir) {
    Config layered = overrides;
    if (extra != null) {
      if (!Files.isRegularFile(extra)) {
        throw new SettingsException("--config " + extra + ": no such file");
      }
      layered = layered.withFallback(parseFile(extra));
    }
    layered = layered.withFallback(applicationConf(confDir));
    try {
      return ConfigFactory.defaultOverrides()
          .withFallback(layered)
          .withFallback(defaults())
          .resolve(ConfigResolveOptions.defaults());
    } catch (com.typesafe.config.ConfigException e) {
      throw new SettingsException(e.getMessage());
    }
  }

  /**
   * The built-in defaults, unresolved: {@code sutazai-node.conf} over the product's {@code sutazai-reference.conf}
   * over every library's {@code reference.conf}. The product's file is layered explicitly (not only through
   * reference.conf's include) because the shaded jar appends every reference.conf into one, ours first, where a
   * library's value for a key we also set would win. Unresolved so that the layers above may still change what
   * their substitutions refer to.
   */
  public static Config defaults() {
    ConfigParseOptions required = ConfigParseOptions.defaults().setAllowMissing(false);
    return ConfigFactory.parseResources(NODE_DEFAULTS, required)
        .withFallback(ConfigFactory.parseResources(PRODUCT_DEFAULTS, required))
        .withFallback(ConfigFactory.defaultReferenceUnresolved());
  }

  /** The operator's {@code conf/application.conf} (or what -Dconfig.file and the like name instead), unresolved. */
  public static Config applicationConf() {
    return applicationConf(confDir());
  }

  private static Config applicationConf(Path dir) {
    if (System.getProperty("config.file") != null || System.getProperty("config.resource") != null
        || System.getProperty("config.url") != null) {
      try {
        return ConfigFactory.defaultApplication();
      } catch (com.typesafe.config.ConfigException e) {
        throw new SettingsException(e.getMessage());
      }
    }
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
