package ai.sutazai;

import ai.sutazai.cli.BenchCommand;
import ai.sutazai.cli.RunCommand;
import ai.sutazai.cli.UserErrors;
import ai.sutazai.common.Version;

import ai.sutazai.cli.AnalyzeCommand;
import ai.sutazai.cli.OllamaSimCommand;
import ai.sutazai.cli.BaselineCommand;
import ai.sutazai.cli.HealthFixCommand;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sutazai} command line: one subcommand per deliverable of the seed document. */
@Command(
    name = "sutazai",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Keeps a fleet of AI agents (Docker containers) and a pool of Ollama servers healthy, "
        + "inside their resource budget, and fast.",
    subcommands = {
      RunCommand.class,
      AnalyzeCommand.class,
      BaselineCommand.class,
      HealthFixCommand.class,
      OllamaSimCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  static {
    // With fewer than 2 common-pool threads (any 2-core machine) CompletableFuture's *Async methods start
    // a new thread per task; Akka's Java futures chain callbacks that way. Must be set before first use.
    if (System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism") == null) {
      System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism",
          String.valueOf(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
    }
  }

  public static void main(String[] args) {
    // The H2 journal's AUTO_SERVER port (reference.conf) listens on loopback only.
    if (System.getProperty("h2.bindAddress") == null) {
      System.setProperty("h2.bindAddress", "127.0.0.1");
    }
    // Logging is set up before any command starts threads: loggers asked for from several threads while
    // SLF4J initialises are replayed, with a three-line "SLF4J: A number (1) of logging calls..." notice.
    org.slf4j.LoggerFactory.getILoggerFactory();
    System.exit(commandLine().execute(args));
  }

  /** The configured command line; tests call {@code execute} on it without exiting the JVM. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(new UserErrors());
    cli.setCaseInsensitiveEnumValuesAllowed(true); // --format JSON as well as json
    return cli;
  }

  /** {@code sutazai} alone is a usage error: picocli prints it with the usage on stderr, exit status 2. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}
