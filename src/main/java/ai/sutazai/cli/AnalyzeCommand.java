package ai.sutazai.cli;

import ai.sutazai.common.DurationArg;

import ai.sutazai.capacity.AnalysisReport;
import ai.sutazai.capacity.CapacityAnalysis;
import ai.sutazai.capacity.HostProbe;
import ai.sutazai.capacity.HtmlReport;
import ai.sutazai.capacity.JsonReport;
import ai.sutazai.capacity.MarkdownReport;
import ai.sutazai.capacity.Recommendations;
import ai.sutazai.capacity.ReportInputs;
import ai.sutazai.capacity.ReportSources;

import ai.sutazai.common.UserError;
import ai.sutazai.cli.StoredDataOptions;
import ai.sutazai.fleet.FleetLoader;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.fleet.Sizes;
import ai.sutazai.cli.BaselineDbOptions;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sutazai analyze}: the seed's system_performance_analysis.md, computed from the fleet spec. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
    description = {"Capacity analysis of a fleet on a host: shortfall, the agents that fit, the quota to set and "
        + "the hardware to buy; with the health summary from the journal, utilisation from the latest baseline and "
        + "the forecast from that baseline's samples, each \"no data yet\" while its data does not exist.",
        "Without --host-memory/--host-cpus the real host (OSHI) is analysed."})
public final class AnalyzeCommand implements Callable<Integer> {

  @Mixin
  StoredDataOptions stored;

  @Option(names = "--fleet", paramLabel = "FILE", description = "Fleet spec (default: sutazai.fleet-file).")
  Path fleetFile;

  @Option(names = "--host-memory", paramLabel = "SIZE", description = "Host memory, a HOCON size such as 29GiB.")
  String hostMemory;

  @Option(names = "--host-cpus", paramLabel = "N", description = "Host logical CPUs, e.g. 12.")
  String hostCpus;

  /** Report formats. */
  public enum Format { md, html, json }

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "md",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the report here instead of standard output.")
  Path out;

  @Mixin
  BaselineDbOptions baselineDb;

  @Option(names = "--since", paramLabel = "DURATION", defaultValue = "24h",
      description = "Period of the health summary, back from now (e.g. 24h, 7d; a bare number is minutes; default: ${DEFAULT-VALUE}).")
  String since;

  @Option(names = "--capacity-only", description = "Only the capacity sections: read neither the journal nor the baselines.")
  boolean capacityOnly;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Long memory = hostMemory == null ? null : parseHostMemory(hostMemory);
    Double cpus = hostCpus == null ? null : parseHostCpus(hostCpus);
    Duration period = ai.sutazai.common.DurationArg.parse("--since", since);
    Config config = stored.load();
    CapacityAnalysis.Targets targets = targets(config);
    Recommendations.Prices prices = prices(config);
    Path file = fleetFile != null ? fleetFile : Path.of(config.getString("sutazai.fleet-file"));
    FleetSpec fleet = FleetLoader.load(file, config);

    CapacityAnalysis.Host host;
    if (memory != null && cpus != null) {
      host = new CapacityAnalysis.Host(memory, cpus, "given");
    } else {
      CapacityAnalysis.Host detected = HostProbe.detect();
      host = new CapacityAnalysis.Host(memory != null ? memory : detected.memoryBytes(),
          cpus != null ? cpus : detected.cpus(), memory == null && cpus == null ? "detected" : "given and detected");
    }
    CapacityAnalysis.Result result = CapacityAnalysis.analyze(fleet, host, targets);
    Recommendations rec = Recommendations.of(result, prices);
    Instant now = Instant.now();
    ReportInputs inputs = capacityOnly ? ReportInputs.none() : ReportSources.read(config, fleet, now.minus(period), now,
        baselineDb.database());
    String text = switch (format) {
      case json -> JsonReport.render(result, rec, inputs, now);
      case html -> HtmlReport.render(AnalysisReport.build(result, rec, inputs, now), result, inputs);
      case md -> MarkdownReport.render(AnalysisReport.build(result, rec, inputs, now));
    };
    write(text);
    return 0;
  }

  private void write(String text) {
    if (out == null) {
      spec.commandLine().getOut().print(text);
      spec.commandLine().getOut().flush();
      return;
    }
    try {
      Path parent = out.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(out, text, StandardCharsets.UTF_8);
      spec.commandLine().getErr().println("analysis written to " + out);
    } catch (IOException e) {
      throw new UserError("--out " + out + ": cannot write: " + e.getMessage());
    }
  }

  static long parseHostMemory(String text) {
    long bytes;
    try {
      bytes = Sizes.parseBytes(text);
    } catch (IllegalArgumentException e) {
      throw new UserError("--host-memory " + e.getMessage());
    }
    if (bytes == 0) {
      throw new UserError("--host-memory '" + text + "' must be more than 0");
    }
    return bytes;
  }

  static double parseHostCpus(String text) {
    double cpus;
    try {
      cpus = Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new UserError("--host-cpus '" + text + "' is not a number of CPUs (e.g. 12 or 7.5)");
    }
    if (!(cpus > 0) || Double.isInfinite(cpus)) {
      throw new UserError("--host-cpus '" + text + "' must be more than 0");
    }
    return cpus;
  }

  private static CapacityAnalysis.Targets targets(Config config) {
    try {
      return CapacityAnalysis.Targets.fromConfig(config);
    } catch (IllegalArgumentException | ConfigException e) {
      throw new UserError("configuration: sutazai.quota.memory-utilisation-target / cpu-utilisation-target: " + e.getMessage());
    }
  }

  private static Recommendations.Prices prices(Config config) {
    try {
      return Recommendations.Prices.fromConfig(config);
    } catch (ConfigException e) {
      throw new UserError("configuration: sutazai.capacity: " + e.getMessage());
    }
  }
}
