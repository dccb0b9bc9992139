package ai.sutazai.capacity;

import ai.sutazai.UserError;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until its issue lands. */
@Command(name = "analyze", mixinStandardHelpOptions = true, description = "Not built yet.")
public final class AnalyzeCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UserError("'analyze' is not built yet", 1);
  }
}
