package ai.sutazai.common;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/**
 * Version shown by {@code --version}, {@code /api/version} and {@code sutazai_build_info}: the pom's
 * version, written into {@code ai/sutazai/common/version.properties} by Maven resource filtering, so it is
 * the same from the shaded jar and from {@code target/classes} (tests, IDE). The jar's manifest carries it
 * too (Implementation-Version); the properties file is read because target/classes has no manifest.
 */
public final class Version implements CommandLine.IVersionProvider {
  static final String RESOURCE = "version.properties";

  private static final String CURRENT = read();

  /** The pom's version, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String current() {
    return CURRENT;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"sutazai " + current()};
  }

  private static String read() {
    try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return "unknown (" + RESOURCE + " missing: not built by Maven)";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "").strip();
      if (v.isEmpty() || v.contains("${")) {
        return "unknown (" + RESOURCE + " not filtered by Maven)";
      }
      return v;
    } catch (IOException e) {
      return "unknown (" + RESOURCE + ": " + e.getMessage() + ")";
    }
  }
}
