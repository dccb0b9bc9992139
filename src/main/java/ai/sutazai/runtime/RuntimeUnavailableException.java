package ai.sutazai.runtime;

/** The container engine cannot be reached. */
public final class RuntimeUnavailableException extends RuntimeException {
  public RuntimeUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
