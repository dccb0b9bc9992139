package ai.sutazai.runtime;

import ai.sutazai.common.Concurrency;

import com.github.dockerjava.api.exception.DockerException;
import java.io.IOException;

/** Turns docker-java failures into the runtime's exceptions, naming the operation and the container. */
final class DockerErrors {
  private final String host;

  DockerErrors(String host) {
    this.host = host;
  }

  /** Engine unreachable → RuntimeUnavailableException; an engine error → ContainerOperationException. */
  RuntimeException translate(String operation, String container, RuntimeException e) {
    if (e instanceof NotManagedException || e instanceof ContainerOperationException
        || e instanceof RuntimeUnavailableException) {
      return e;
    }
    if (e instanceof DockerException de) {
      return new ContainerOperationException(operation, container,
          "Docker answered " + de.getHttpStatus() + ": " + engineMessage(de), de);
    }
    if (hasCause(e, IOException.class)) {
      return new RuntimeUnavailableException(operation + " " + container + ": Docker engine not reachable at "
          + host + ": " + rootMessage(e), e);
    }
    return new ContainerOperationException(operation, container, rootMessage(e), e);
  }

  private static String engineMessage(DockerException e) {
    String message = e.getMessage() == null ? "" : e.getMessage().trim();
    int json = message.indexOf("{\"message\":\"");
    if (json >= 0) {
      int start = json + "{\"message\":\"".length();
      int end = message.indexOf('"', start);
      return end > start ? message.substring(start, end) : message;
    }
    return message;
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  static String rootMessage(Throwable e) {
    Throwable root = Concurrency.rootCause(e);
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // closing a stream or client that is already gone
    }
  }
}
