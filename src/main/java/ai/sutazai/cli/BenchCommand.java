package ai.sutazai.cli;

import ai.sutazai.cli.bench.RouterBench;
import ai.sutazai.cli.bench.ClusterBench;
import ai.sutazai.cli.bench.QuotaBench;
import ai.sutazai.cli.bench.SupervisorBench;
import picocli.CommandLine.Command;

/** {@code sutazai bench ...}: benchmarks that print figures (never part of the test suite). */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks that print their figures. Each starts what it measures itself, on loopback.",
    subcommands = {SupervisorBench.class, QuotaBench.class, RouterBench.class, ClusterBench.class,
        ai.sutazai.cli.bench.GatewayBench.class, ai.sutazai.cli.bench.seed.SeedBench.class, ai.sutazai.cli.bench.ChaosBench.class})
public final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  /** {@code sutazai bench} alone is a usage error: the usage on stderr, exit status 2. */
  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}
