package ai.sutazai.metrics.baseline;

/** The baseline database cannot be reached or used; the message names the JDBC URL and the cause. */
public final class BaselineStoreException extends RuntimeException {
  public BaselineStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
