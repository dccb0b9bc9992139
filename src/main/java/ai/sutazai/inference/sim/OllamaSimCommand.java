package ai.sutazai.inference.sim;

import ai.sutazai.UserError;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until its issue lands. */
@Command(name = "ollama-sim", mixinStandardHelpOptions = true, description = "Not built yet.")
public final class OllamaSimCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UserError("'ollama-sim' is not built yet", 1);
  }
}
