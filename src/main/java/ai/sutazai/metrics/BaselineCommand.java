package ai.sutazai.metrics;

import ai.sutazai.UserError;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until its issue lands. */
@Command(name = "baseline", mixinStandardHelpOptions = true, description = "Not built yet.")
public final class BaselineCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UserError("'baseline' is not built yet", 1);
  }
}
