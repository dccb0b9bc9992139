package ai.sutazai.common;

import java.nio.file.Files;
import java.nio.file.Path;

/** H2 file database URLs ({@code jdbc:h2:file:<path>[;settings]}): where the file is, and whether it exists yet. */
public final class H2Files {
  private static final String PREFIX = "jdbc:h2:file:";

  private H2Files() {}

  /** The file path of an H2 file URL, without its settings. */
  public static String path(String url) {
    String path = url.substring(PREFIX.length());
    int semi = path.indexOf(';');
    return semi < 0 ? path : path.substring(0, semi);
  }

  /** True for an H2 file URL whose database file does not exist yet (opening it would only create it). */
  public static boolean missing(String url) {
    return url.startsWith(PREFIX) && !Files.exists(Path.of(path(url) + ".mv.db"));
  }
}
