package ai.sutazai.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.api.ManagementSettings;
import ai.sutazai.front.FrontSettings;
import ai.sutazai.inference.InferenceSettings;
import ai.sutazai.metrics.MetricsSettings;
import ai.sutazai.metrics.alerts.AlertSettings;
import ai.sutazai.metrics.baseline.BaselineSettings;
import ai.sutazai.supervisor.settings.QuotaSettings;
import ai.sutazai.supervisor.settings.SupervisorSettings;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layers of {@link Settings#load}, highest first: -D, the overrides, --config, conf/application.conf (or
 * what -Dconfig.file names instead), then the defaults, every one of which is in reference.conf with a comment.
 */
class SettingsTest {
  /** A real key, with its default in reference.conf. */
  private static final String KEY = "sutazai.quota.max-batch";

  @Test
  void eachLayerBeatsTheOnesBelowItForTheSameKey(@TempDir Path dir) throws Exception {
    int reference = ConfigFactory.defaultReference().getInt(KEY);
    assertFalse(List.of(2, 3, 5, 7).contains(reference), "reference.conf has " + reference + ": pick other test values");
    Path conf = confDir(dir, KEY + " = 2\n");
    Path file = dir.resolve("extra.conf");
    Files.writeString(file, KEY + " = 3\n");
    Config overrides = Settings.of(Map.of(KEY, 5));

    assertEquals(reference, Settings.load(null, ConfigFactory.empty(), null).getInt(KEY),
        "reference.conf, under the jar's conf/application.conf, which sets nothing");
    assertEquals(2, Settings.load(null, ConfigFactory.empty(), conf).getInt(KEY), "conf/application.conf over reference.conf");
    assertEquals(3, Settings.load(file, ConfigFactory.empty(), conf).getInt(KEY), "--config over conf/application.conf");
    assertEquals(5, Settings.load(file, overrides, conf).getInt(KEY), "overrides over --config");
    withProperty(KEY, "7", () -> {
      assertEquals(7, Settings.load(file, overrides, conf).getInt(KEY), "-D over the overrides and --config");
      assertEquals(7, Settings.load(null, ConfigFactory.empty(), conf).getInt(KEY), "-D over conf/application.conf");
    });
  }

  /** The conf/ directory as shipped sets nothing: what a user changes goes there, every default is in reference.conf. */
  @Test
  void theShippedApplicationConfSetsNothing() {
    Path shipped = Settings.confDir();
    assertTrue(shipped != null, "run from the project directory: ./conf/application.conf");
    assertTrue(ConfigFactory.parseFile(shipped.resolve("application.conf").toFile()).isEmpty(),
        "conf/application.conf sets keys: their defaults belong in src/main/resources/sutazai-reference.conf");
    assertEquals(ConfigFactory.defaultReference().getInt(KEY), Settings.load(null).getInt(KEY));
  }

  /**
   * A conf/ written for an older version (includes of files that no longer exist, a few keys) lacks every key
   * added since: each takes its default, every room's settings load, and a changed data-dir still reaches
   * the journal's URL, which reference.conf makes from it.
   */
  @Test
  void aConfDirThatLacksKeysTakesTheirDefaults(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data-here");
    Path conf = confDir(dir, """
        include "supervisor.conf"
        include "persistence.conf"
        sutazai {
          data-dir = "%s"
          supervisor.stop-timeout = 20s
        }
        """.formatted(data));
    Config c = Settings.load(null, ConfigFactory.empty(), conf);
    Config reference = ConfigFactory.defaultReference();
    assertEquals(Duration.ofSeconds(20), SupervisorSettings.fromConfig(c).stopTimeout());
    assertEquals(reference.getDuration("sutazai.supervisor.idle-timeout"), c.getDuration("sutazai.supervisor.idle-timeout"));
    assertEquals(reference.getInt(KEY), c.getInt(KEY));
    QuotaSettings.fromConfig(c);
    InferenceSettings.from(c);
    FrontSettings.from(c);
    MetricsSettings.fromConfig(c);
    AlertSettings.fromConfig(c);
    BaselineSettings.fromConfig(c);
    ManagementSettings.from(c);
    assertTrue(c.getString("akka-persistence-jdbc.shared-databases.h2.db.url").contains(data + "/journal/"),
        "the journal URL follows the conf's data-dir: " + c.getString("akka-persistence-jdbc.shared-databases.h2.db.url"));
    assertEquals("cluster", c.getString("akka.actor.provider"), "the product's actor systems are cluster nodes");
    for (Map.Entry<String, ConfigValue> e : reference.getConfig("sutazai").entrySet()) {
      assertTrue(c.hasPathOrNull("sutazai." + e.getKey()), "sutazai." + e.getKey() + " has no default");
    }
  }

  /** -Dconfig.file replaces conf/application.conf, as in any Typesafe Config application; -D and --config still win. */
  @Test
  void configFileReplacesApplicationConf(@TempDir Path dir) throws Exception {
    Path conf = confDir(dir, KEY + " = 2\nsutazai.settings-test.only-in-conf = 1\n");
    Path replacement = dir.resolve("elsewhere.conf");
    Files.writeString(replacement, KEY + " = 4\n");
    Path file = dir.resolve("extra.conf");
    Files.writeString(file, KEY + " = 3\n");
    withProperty("config.file", replacement.toString(), () -> {
      Config c = Settings.load(null, ConfigFactory.empty(), conf);
      assertEquals(4, c.getInt(KEY), "-Dconfig.file instead of conf/application.conf");
      assertFalse(c.hasPath("sutazai.settings-test.only-in-conf"), "conf/application.conf is replaced, not layered");
      assertEquals(3, Settings.load(file, ConfigFactory.empty(), conf).getInt(KEY), "--config over -Dconfig.file");
      withProperty(KEY, "7", () -> assertEquals(7, Settings.load(null, ConfigFactory.empty(), conf).getInt(KEY),
          "-D over -Dconfig.file"));
    });
    withProperty("config.file", dir.resolve("missing.conf").toString(), () ->
        assertThrows(SettingsException.class, () -> Settings.load(null, ConfigFactory.empty(), conf)));
  }

  /** Environment variables still reach their settings through reference.conf's ${?NAME}. */
  @Test
  void environmentVariablesStillApply() {
    // The test run sets SUTAZAI_GATEWAY_PORT=0 (pom.xml), over reference.conf's 11500.
    assertEquals("0", System.getenv("SUTAZAI_GATEWAY_PORT"));
    assertEquals(0, Settings.load(null).getInt("sutazai.gateway.port"));
    assertEquals(11500, ConfigFactory.parseResources("reference.conf")
        .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false)).getInt("sutazai.gateway.port"));
  }

  /** Every setting of ours in reference.conf has a comment (its own, or its enclosing block's), durations and sizes one with a unit. */
  @Test
  void everyDefaultInReferenceConfHasACommentWithItsUnit() throws Exception {
    Config ours = ConfigFactory.parseURL(ourReferenceConf())
        .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false).setAllowUnresolved(true));
    List<String> missing = new ArrayList<>();
    List<String> noUnit = new ArrayList<>();
    walk(ours.getObject("sutazai"), "sutazai", Collections.emptyList(), missing, noUnit);
    assertTrue(ours.getConfig("sutazai").entrySet().size() > 150, "reference.conf holds every default");
    assertEquals(List.of(), missing, "settings without a comment in reference.conf");
    assertEquals(List.of(), noUnit, "durations or sizes whose comment names no unit");
  }

  private static void walk(ConfigObject object, String path, List<String> parentComments, List<String> missing,
      List<String> noUnit) {
    for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
      String key = path + "." + e.getKey();
      ConfigValue v = e.getValue();
      List<String> own = v.origin().comments();
      List<String> comments = new ArrayList<>(own);
      // A block's comment covers its keys (crash-loop { max-restarts, window }), not the rooms' top blocks.
      if (key.chars().filter(c -> c == '.').count() >= 3) {
        comments.addAll(parentComments);
      }
      if (v.valueType() == ConfigValueType.OBJECT) {
        walk((ConfigObject) v, key, own, missing, noUnit);
      } else if (comments.stream().allMatch(String::isBlank)) {
        missing.add(key);
      } else if (v.valueType() == ConfigValueType.STRING && String.valueOf(v.unwrapped()).matches("\\d+(\\.\\d+)?\\s*(ms|s|m|h|d|KiB|MiB|GiB|k|m|g)")) {
        String text = String.join(" ", comments).toLowerCase();
        if (!(text.contains("duration") || text.contains("size") || text.contains("seconds") || text.contains("bytes"))) {
          noUnit.add(key + " = " + v.unwrapped());
        }
      }
    }
  }

  /** src/main/resources/sutazai-reference.conf (the product's defaults, included by reference.conf) as built. */
  private static URL ourReferenceConf() throws Exception {
    for (URL u : Collections.list(Settings.class.getClassLoader().getResources(Settings.PRODUCT_DEFAULTS))) {
      if (u.getProtocol().equals("file")) {
        return u;
      }
    }
    throw new AssertionError("our reference.conf is not on the class path as a file");
  }

  private static Path confDir(Path dir, String applicationConf) throws Exception {
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Files.writeString(conf.resolve("application.conf"), applicationConf);
    return conf;
  }

  private interface Body {
    void run() throws Exception;
  }

  /** Runs {@code body} with system property {@code name} set, then restores it (system properties are cached once read). */
  private static void withProperty(String name, String value, Body body) throws Exception {
    String before = System.getProperty(name);
    System.setProperty(name, value);
    ConfigFactory.invalidateCaches();
    try {
      body.run();
    } finally {
      if (before == null) {
        System.clearProperty(name);
      } else {
        System.setProperty(name, before);
      }
      ConfigFactory.invalidateCaches();
    }
  }
}
