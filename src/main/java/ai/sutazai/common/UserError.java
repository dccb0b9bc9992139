package ai.sutazai.common;

/**
 * An error the user caused (bad flag value, bad file, unreachable service named in config). The command
 * line prints its message, without a stack trace, and exits with {@link #exitCode()}.
 */
public class UserError extends RuntimeException {
  private final int exitCode;

  public UserError(String message) {
    this(message, 2);
  }

  public UserError(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
