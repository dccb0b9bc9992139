package ai.sutazai.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * Directories and files only their owner may read: the data directory (0700), and the secrets kept in it
 * (0600): the journal's password, the remoting key store and its password. The hazard is a process of another
 * user on the same host (an agent container runs with host networking and may run as another user) reading the
 * journal or a key; permissions are set at creation, never widened after.
 */
public final class PrivateFiles {
  private PrivateFiles() {}

  private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Creates {@code dir} (and missing parents) with mode 0700. An existing directory is narrowed to 0700 when it
   * is ours to change (its owner is this process's user), so an upgrade from a version that left it 0755 closes it.
   */
  public static Path directory(Path dir) {
    boolean existed = Files.isDirectory(dir);
    try {
      if (!existed) {
        Files.createDirectories(dir);
      }
      if (posix(dir)) {
        Files.setPosixFilePermissions(dir, DIR);
      }
      return dir;
    } catch (java.nio.file.FileSystemException e) {
      if (existed) {
        return dir; // another user's directory (e.g. a shared, pre-made one): left as its owner set it
      }
      throw new UncheckedIOException("cannot create the private directory " + dir + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the private directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Narrows {@code dir} to 0700 and the files directly in it and in its direct subdirectories to 0600 (left by an
   * earlier version with the default umask). Files of another owner are left alone.
   */
  public static void narrowTree(Path dir) {
    directory(dir);
    try (var top = Files.list(dir)) {
      for (Path p : (Iterable<Path>) top::iterator) {
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          directory(p);
          try (var inner = Files.list(p)) {
            inner.filter(Files::isRegularFile).forEach(PrivateFiles::restrictQuietly);
          }
        } else if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          restrictQuietly(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void restrictQuietly(Path file) {
    try {
      if (posix(file)) {
        Files.setPosixFilePermissions(file, FILE);
      }
    } catch (IOException e) {
      // another user's file, or gone meanwhile (H2 removes its .lock.db): nothing to narrow
    }
  }

  /** Narrows an existing file to 0600 (owner read/write only). */
  public static void restrict(Path file) {
    try {
      if (posix(file)) {
        Files.setPosixFilePermissions(file, FILE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restrict " + file + " to its owner: " + e.getMessage(), e);
    }
  }

  /**
   * The secret kept in {@code file} (its first line), created with a random value (32 random bytes, base64url)
   * and mode 0600 when the file does not exist yet. Written to a temporary file first and moved into place, so a
   * crash never leaves half a secret; two processes racing to create it agree on the one that landed first.
   */
  public static String secret(Path file) {
    if (!Files.exists(file)) {
      byte[] bytes = new byte[32];
      RANDOM.nextBytes(bytes);
      String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      directory(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp" + ProcessHandle.current().pid());
      try {
        write(tmp, value + "\n");
        // A hard link fails when the name exists (rename would replace it): the first process's secret stays.
        Files.createLink(file, tmp);
      } catch (FileAlreadyExistsException e) {
        // another process made it first: use theirs
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
      } finally {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort
        }
      }
    }
    return readSecret(file);
  }

  /** The first line of {@code file}, trimmed; a clear error when it is missing or empty. */
  public static String readSecret(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      String first = text.lines().findFirst().orElse("").trim();
      if (first.isEmpty()) {
        throw new SettingsException(file + ": the file is empty (expected a password on its first line)");
      }
      return first;
    } catch (java.nio.file.NoSuchFileException e) {
      throw new SettingsException(file + ": no such file (expected a password on its first line)");
    } catch (IOException e) {
      throw new SettingsException(file + ": cannot read it (" + e.getMessage() + ")");
    }
  }

  /** Writes {@code text} into a new file created with mode 0600 (never readable by others, not even briefly). */
  public static void write(Path file, String text) throws IOException {
    if (posix(file.toAbsolutePath().getParent())) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
    } else {
      Files.createFile(file);
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
