package ai.sutazai.testsupport;

import ai.sutazai.cluster.NodeCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * The test run's remoting identity: once per test JVM, before any test, one key store (an EC key and a certificate
 * made for this run) is generated into a temporary directory and given to every node of every in-JVM cluster test
 * as both key store and trust store ({@code sutazai.remoting.key-store} / {@code trust-store} system properties),
 * so test nodes trust each other and nothing else. Removed when the run ends. A test that wants a stranger (a node
 * without this certificate) sets {@code sutazai.remoting.key-store = ""} and its own data directory.
 */
public final class TestTls implements LauncherSessionListener {
  private static Path dir;

  /** The shared key store of this run (also the trust store). */
  public static synchronized Path keyStore() {
    if (dir == null) {
      try {
        dir = Files.createTempDirectory("sutazai-test-tls");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      NodeCertificates.ensureSelfSigned(dir.resolve("node.p12"));
    }
    return dir.resolve("node.p12");
  }

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    String store = keyStore().toString();
    System.setProperty("sutazai.remoting.key-store", store);
    System.setProperty("sutazai.remoting.trust-store", store);
    com.typesafe.config.ConfigFactory.invalidateCaches();
  }

  @Override
  public synchronized void launcherSessionClosed(LauncherSession session) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp dir left behind is harmless
    }
    dir = null;
  }
}
