package ai.sutazai;

import ai.sutazai.config.SettingsException;
import picocli.CommandLine;

/** Turns errors a user can cause into one clear line on stderr and an exit status; others keep their trace. */
final class UserErrors implements CommandLine.IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
    if (ex instanceof UserError ue) {
      cmd.getErr().println("error: " + ue.getMessage());
      return ue.exitCode();
    }
    if (ex instanceof SettingsException se) {
      cmd.getErr().println("error: configuration: " + se.getMessage());
      return 2;
    }
    if (ex instanceof com.typesafe.config.ConfigException ce) {
      cmd.getErr().println("error: configuration: " + ce.getMessage());
      return 2;
    }
    throw new RuntimeException(ex);
  }
}
