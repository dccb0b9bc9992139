package ai.sutazai.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layers of {@link Settings#load}, highest first: -D, the overrides, --config, conf/application.conf, reference.conf. */
class SettingsTest {
  /** A real key; conf/quota.conf (included by conf/application.conf) sets it. */
  private static final String KEY = "sutazai.quota.max-batch";

  @Test
  void eachLayerBeatsTheOnesBelowItForTheSameKey(@TempDir Path dir) throws Exception {
    // The reference.conf layer: one of our own, on the context class loader, where ConfigFactory.defaultReference
    // (and so Settings.load) looks for every reference.conf. The probe key shows that it is read at all.
    Path refDir = Files.createDirectories(dir.resolve("ref"));
    Files.writeString(refDir.resolve("reference.conf"), KEY + " = 1\nsutazai.settings-test.only-in-reference = 11\n");
    Path file = dir.resolve("extra.conf");
    Files.writeString(file, KEY + " = 3\n");
    Config overrides = Settings.of(Map.of(KEY, 5));
    int shipped = ConfigFactory.parseFile(Settings.confDir().resolve("application.conf").toFile())
        .resolve(ConfigResolveOptions.defaults().setAllowUnresolved(true)).getInt(KEY);
    assertFalse(List.of(1, 3, 5, 7).contains(shipped), "conf/ ships " + shipped + ": pick other values for the test layers");

    ClassLoader original = Thread.currentThread().getContextClassLoader();
    String property = System.getProperty(KEY);
    try (URLClassLoader loader = new URLClassLoader(new URL[] {refDir.toUri().toURL()}, original)) {
      Thread.currentThread().setContextClassLoader(loader);
      Config base = Settings.load(null);
      assertEquals(11, base.getInt("sutazai.settings-test.only-in-reference"), "the test's reference.conf was not read");
      assertEquals(shipped, base.getInt(KEY), "conf/application.conf over reference.conf");
      assertEquals(3, Settings.load(file).getInt(KEY), "--config over conf/application.conf");
      assertEquals(5, Settings.load(file, overrides).getInt(KEY), "overrides over --config");

      System.setProperty(KEY, "7");
      ConfigFactory.invalidateCaches(); // the system properties are cached once read
      assertEquals(7, Settings.load(file, overrides).getInt(KEY), "-D over the overrides and --config");
      assertEquals(7, Settings.load(null).getInt(KEY), "-D over conf/application.conf");
    } finally {
      if (property == null) {
        System.clearProperty(KEY);
      } else {
        System.setProperty(KEY, property);
      }
      ConfigFactory.invalidateCaches();
      Thread.currentThread().setContextClassLoader(original);
    }
  }
}
