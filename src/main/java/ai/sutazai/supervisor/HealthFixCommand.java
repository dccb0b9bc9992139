package ai.sutazai.supervisor;

import ai.sutazai.UserError;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until its issue lands. */
@Command(name = "health-fix", mixinStandardHelpOptions = true, description = "Not built yet.")
public final class HealthFixCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UserError("'health-fix' is not built yet", 1);
  }
}
