package ai.sutazai.cli;

import ai.sutazai.common.UserError;

import ai.sutazai.common.SettingsException;
import ai.sutazai.runtime.RuntimeUnavailableException;
import picocli.CommandLine;

/**
 * Turns errors a user can cause into one clear line on stderr and an exit status (2: invalid input or
 * configuration, including a Docker engine that cannot be reached where one is needed at once); others keep
 * their trace.
 */
public final class UserErrors implements CommandLine.IExecutionExceptionHandler {
  /** Where the engine is chosen, and how to get one here. */
  private static final String ENGINE_HINT = "set sutazai.docker.host or DOCKER_HOST; cluster/dev/docker-engine.sh starts one";

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
    if (ex instanceof UserError ue) {
      cmd.getErr().println("error: " + ue.getMessage());
      return ue.exitCode();
    }
    if (ex instanceof RuntimeUnavailableException re) {
      cmd.getErr().println("error: " + re.getMessage() + " (" + ENGINE_HINT + ")");
      return 2;
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
