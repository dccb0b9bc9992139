package ai.sutazai.common;

/** A configuration error the user caused; its message names the file and key. */
public final class SettingsException extends RuntimeException {
  public SettingsException(String message) {
    super(message);
  }
}
