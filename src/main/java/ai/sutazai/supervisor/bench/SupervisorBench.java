package ai.sutazai.supervisor.bench;

import ai.sutazai.UserError;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until its issue lands. */
@Command(name = "supervisor", mixinStandardHelpOptions = true, description = "Not built yet.")
public final class SupervisorBench implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UserError("'supervisor' is not built yet", 1);
  }
}
