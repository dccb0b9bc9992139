package ai.sutazai.supervisor;

import ai.sutazai.UserError;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until its issue lands. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Not built yet.")
public final class RunCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UserError("'run' is not built yet", 1);
  }
}
