package ai.sutazai.inference.sim;

import ai.sutazai.cli.OllamaSimCommand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The {@code sutazai ollama-sim} command line, and many concurrent streams on one simulator. */
class OllamaSimCommandTest {

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void helpSaysItIsASimulatorAndListsEveryOption() {
    Run r = run("ollama-sim", "--help");
    assertEquals(0, r.exit());
    assertTrue(r.out().contains("SIMULATOR (not real inference)"), r.out());
    for (String option : List.of("--port", "--models", "--num-parallel", "--max-queue", "--max-loaded-models",
        "--load-time", "--tokens-per-second", "--fail-rate", "--bind")) {
      assertTrue(r.out().contains(option), option + " in " + r.out());
    }
  }

  @Test
  void badValuesAreUserErrorsWithoutStackTraces() {
    Run rate = run("ollama-sim", "--port", "0", "--fail-rate", "2");
    assertEquals(2, rate.exit());
    assertTrue(rate.err().contains("fail-rate must be between 0.0 and 1.0, got 2.0"), rate.err());
    Run time = run("ollama-sim", "--load-time", "soon");
    assertEquals(2, time.exit());
    assertTrue(time.err().contains("'soon' is not a duration"), time.err());
    assertTrue(!time.err().contains("\tat "), "no stack trace");
  }

  @Test
  void durationsAcceptGoSyntaxAndBareSeconds() {
    OllamaSimCommand.DurationConverter c = new OllamaSimCommand.DurationConverter();
    assertEquals(Duration.ofMillis(1500), c.convert("1.5"));
    assertEquals(Duration.ofMillis(250), c.convert("250ms"));
    assertEquals(Duration.ofSeconds(90), c.convert("1m30s"));
  }

  @Test
  void twoHundredConcurrentStreamsAllComplete() {
    try (OllamaSimulator.Running sim = OllamaSimulator.start(SimConfig.defaults().withModels("llama3.2")
        .withNumParallel(256).withLoadTime(Duration.ofMillis(20)).withTokensPerSecond(50).withResponseTokens(10))) {
      SimClient client = new SimClient(sim.url());
      List<CompletableFuture<SimClient.Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        replies.add(client.postAsync("/api/generate", "{\"model\":\"llama3.2\",\"prompt\":\"p" + i + "\"}"));
      }
      for (CompletableFuture<SimClient.Reply> f : replies) {
        var lines = f.join().lines();
        assertEquals(11, lines.size());
        assertTrue(lines.get(10).path("done").asBoolean());
      }
      assertEquals(1, sim.loadCount());
    }
  }
}
