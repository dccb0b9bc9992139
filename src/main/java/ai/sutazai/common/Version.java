package ai.sutazai.common;


import picocli.CommandLine;

/** Version shown by {@code --version}, taken from the jar manifest when present. */
public final class Version implements CommandLine.IVersionProvider {
  public static String current() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"sutazai " + current()};
  }
}
