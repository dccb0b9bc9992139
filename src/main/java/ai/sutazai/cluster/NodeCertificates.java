package ai.sutazai.cluster;

import ai.sutazai.common.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes the key store of a single node: an EC P-256 key and a self-signed certificate (valid 10 years) in a PKCS12
 * file of mode 0600, with its random password in {@code <store>.password} (0600), inside a 0700 directory. It runs
 * the JDK's own {@code keytool} (from {@code java.home}: every Java runtime ships it), because the JDK has no public
 * API to sign a certificate and a library for it (BouncyCastle) would add 8 MB to the jar for one start.
 */
public final class NodeCertificates {
  private NodeCertificates() {}

  /** Longest keytool run (seconds): it takes about a second. */
  private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

  /** The file holding the password of {@code store}: {@code <store>.password}. */
  public static Path passwordFile(Path store) {
    return store.resolveSibling(store.getFileName() + ".password");
  }

  /** {@code store} as it is, or generated there first (see the class comment); returns {@code store}. */
  public static synchronized Path ensureSelfSigned(Path store) {
    if (Files.isRegularFile(store)) {
      return store;
    }
    PrivateFiles.directory(store.toAbsolutePath().getParent());
    String password = PrivateFiles.secret(passwordFile(store));
    Path tmp = store.resolveSibling(store.getFileName() + ".tmp" + ProcessHandle.current().pid());
    try {
      Files.deleteIfExists(tmp);
      keytool(List.of("-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1",
          "-sigalg", "SHA256withECDSA", "-dname", "CN=sutazai-node", "-validity", "3650",
          "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", tmp.toString(),
          "-storepass:file", passwordFile(store).toString()));
      PrivateFiles.restrict(tmp);
      Files.move(tmp, store, StandardCopyOption.ATOMIC_MOVE);
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot generate the remoting key store " + store + ": " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // best effort
      }
    }
  }

  /** Runs {@code keytool args} from this JVM's {@code java.home}; fails with its output when it fails. */
  public static void keytool(List<String> args) {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new java.util.ArrayList<>();
    command.add(keytool.toString());
    command.addAll(args);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("keytool did not finish in " + KEYTOOL_TIMEOUT_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("keytool " + args.get(0) + " failed (exit " + process.exitValue() + "): "
            + new String(out, StandardCharsets.UTF_8).trim());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + keytool + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running keytool", e);
    }
  }
}
