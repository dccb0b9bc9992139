package ai.sutazai.cli;

import ai.sutazai.metrics.ContainerSampler;
import ai.sutazai.metrics.HostSampler;
import ai.sutazai.metrics.MetricsCollector;
import ai.sutazai.metrics.MetricsSettings;
import ai.sutazai.metrics.OshiHostSampler;
import ai.sutazai.metrics.stats.Sample;

import ai.sutazai.common.UserError;
import ai.sutazai.metrics.alerts.AlertSettings;
import ai.sutazai.metrics.baseline.Baseline;
import ai.sutazai.metrics.baseline.BaselineFormat;
import ai.sutazai.cli.BaselineQueryCommands;
import ai.sutazai.metrics.baseline.BaselineRecorder;
import ai.sutazai.metrics.baseline.BaselineSettings;
import ai.sutazai.metrics.baseline.BaselineStore;
import ai.sutazai.cli.DbOptions;
import ai.sutazai.common.DurationArg;
import ai.sutazai.metrics.forecast.ForecastSettings;
import ai.sutazai.runtime.ContainerRuntime;
import ai.sutazai.runtime.DockerRuntime;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sutazai baseline}: the seed's {@code create-performance-baseline.py}. Samples host, containers
 * and agents for a while, computes statistics and alert thresholds per series and stores them.
 */
@Command(
    name = "baseline",
    mixinStandardHelpOptions = true,
    description = {"Record a performance baseline: per metric count, min, max, mean, stddev, p50/p90/p95/p99 and EWMA, "
        + "with derived alert thresholds (mean + 2σ / + 3σ, never above the static ones), stored through JDBC.",
        "It is stored as it is recorded: Ctrl-C (or SIGTERM) stops it and keeps what was recorded, marked incomplete "
            + "(baseline list and show say so). The progress bar is drawn on stderr only when it is a terminal."},
    subcommands = {BaselineQueryCommands.ListBaselines.class, BaselineQueryCommands.Show.class,
        BaselineQueryCommands.Compare.class})
public final class BaselineCommand implements Callable<Integer> {

  @Option(names = "--duration", paramLabel = "DURATION",
      description = "How long to record: 30m, 90s, 1h; a bare number means minutes (default 30).")
  String duration;

  @Option(names = "--quick", description = "Record for sutazai.metrics.baseline.quick-duration (60 s).")
  boolean quick;

  /** Output formats of {@code baseline}, {@code baseline list} and {@code baseline compare}. */
  public enum Format { table, json }

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--label", paramLabel = "TEXT", description = "Free text stored with the baseline (default: host name).")
  String label;

  @Option(names = "--no-containers", description = "Sample only the host and agents, not the container engine.")
  boolean noContainers;

  @Option(names = {"-q", "--quiet"}, description = "No progress on stderr (only warnings and errors); the result still goes to stdout.")
  boolean quiet;

  @Mixin DbOptions db;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (quick && duration != null) {
      throw new UserError("--duration and --quick exclude each other");
    }
    Config config = db.config();
    BaselineSettings bs = BaselineSettings.fromConfig(config);
    Duration length = quick ? bs.quickDuration() : DurationArg.parse("--duration", duration == null ? "30" : duration);
    if (length.compareTo(bs.sampleInterval()) < 0) {
      throw new UserError("--duration " + DurationArg.format(length) + " is shorter than the sample interval "
          + bs.sampleInterval() + " (" + BaselineSettings.PATH + ".sample-interval)");
    }
    MetricsSettings ms = MetricsSettings.fromConfig(config).withSampleInterval(bs.sampleInterval());
    AlertSettings alerts = AlertSettings.fromConfig(config);
    BaselineStore store = db.openStore();
    PrintWriter err = spec.commandLine().getErr();
    ContainerRuntime runtime = noContainers || !ms.containersEnabled() ? null : openRuntime(config, err);
    Baseline result;
    try {
      result = record(config, ms, alerts, store, runtime, length, err);
    } finally {
      if (runtime != null) {
        runtime.close();
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(format == Format.json ? BaselineFormat.json(result) : BaselineFormat.table(result));
    out.flush();
    return 0;
  }

  private Baseline record(Config config, MetricsSettings ms, AlertSettings alerts, BaselineStore store,
      ContainerRuntime runtime, Duration length, PrintWriter err) {
    HostSampler host = new OshiHostSampler(ms.deviceRefresh());
    ContainerSampler containers = runtime == null ? null : new ContainerSampler(runtime, ms.containersFleet(), ms.containerStatsParallelism());
    MetricsCollector.Setup setup = new MetricsCollector.Setup(ms, host, containers, Clock.systemUTC(), store, alerts.rules(), null,
        ForecastSettings.fromConfig(config));
    // The CLI's own actor system: quiet logs so the progress bar and the result stay readable.
    quietLogs("akka", "ai.sutazai.metrics");
    Config systemConfig = ConfigFactory.parseString(
        "akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING\nakka.log-dead-letters = off\n"
            // time for the last write of an interrupted recording (see stopOnShutdown)
            + "akka.coordinated-shutdown.phases.before-service-unbind.timeout = 25s").withFallback(config);
    ActorSystem<MetricsCollector.Command> system = ActorSystem.create(MetricsCollector.create(setup), "sutazai-baseline", systemConfig);
    try {
      // A bar redrawn with \r only on a terminal: in a log file it would be one endless line of updates.
      boolean bar = !quiet && System.console() != null;
      ActorRef<BaselineRecorder.Progress> progress =
          system.systemActorOf(bar ? progressBar(err) : Behaviors.ignore(), "baseline-progress", Props.empty());
      if (!quiet) {
        err.println("recording a baseline for " + DurationArg.format(length) + "; Ctrl-C stops it and keeps what was recorded");
        err.flush();
      }
      stopOnShutdown(system, err);
      String text = label != null ? label : hostName();
      var done = AskPattern.<MetricsCollector.Command, Baseline>askWithStatus(system,
          replyTo -> new MetricsCollector.RecordBaseline(length, text, progress, replyTo),
          length.plus(Duration.ofMinutes(2)), system.scheduler());
      system.tell(MetricsCollector.SampleNow.INSTANCE); // first sample right away, then every interval
      return done.toCompletableFuture().get(length.toMillis() + 180_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new UserError("baseline failed: " + cause.getMessage());
    } catch (TimeoutException e) {
      throw new UserError("baseline did not finish in time");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("baseline interrupted");
    } finally {
      if (!quiet && System.console() != null) {
        err.println(); // ends the bar's line
        err.flush();
      }
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (InterruptedException | ExecutionException | TimeoutException e) {
        err.println("warning: actor system did not stop cleanly: " + e);
      }
    }
  }

  /**
   * On Ctrl-C or SIGTERM (the JVM's shutdown runs the actor system's coordinated shutdown) the recording is
   * stopped first and what it recorded stored, marked incomplete. After a finished recording this is a no-op.
   */
  private static void stopOnShutdown(ActorSystem<MetricsCollector.Command> system, PrintWriter err) {
    akka.actor.CoordinatedShutdown.get(system).addTask(akka.actor.CoordinatedShutdown.PhaseBeforeServiceUnbind(),
        "store-incomplete-baseline", () -> AskPattern.<MetricsCollector.Command, Baseline>askWithStatus(system,
            MetricsCollector.StopBaseline::new, Duration.ofSeconds(20), system.scheduler())
            .handle((b, failure) -> {
              if (b != null) {
                err.println();
                err.println("interrupted: baseline " + b.id() + " stored, " + b.incompleteNote().orElse("complete"));
                err.flush();
              }
              return akka.Done.getInstance();
            }));
  }

  /** Prints {@code [#####-----]  50%  1m00s left  12 samples} on one line of stderr. */
  static Behavior<BaselineRecorder.Progress> progressBar(PrintWriter err) {
    return Behaviors.receive(BaselineRecorder.Progress.class)
        .onMessage(BaselineRecorder.Progress.class, p -> {
          double fraction = Math.min(1.0, p.elapsed().toMillis() / (double) Math.max(1, p.total().toMillis()));
          int filled = (int) Math.round(fraction * 30);
          err.printf("\r[%s%s] %3d%%  %s left  %d samples ", "#".repeat(filled), "-".repeat(30 - filled),
              Math.round(fraction * 100), DurationArg.format(p.total().minus(p.elapsed())), p.samples());
          err.flush();
          return Behaviors.same();
        })
        .build();
  }

  /** The Docker runtime when the engine answers; otherwise null (host and agent metrics only) and a warning. */
  private static ContainerRuntime openRuntime(Config config, PrintWriter err) {
    ContainerRuntime runtime = DockerRuntime.fromConfig(config);
    try {
      runtime.ping();
      return runtime;
    } catch (RuntimeException e) {
      err.println("warning: " + e.getMessage() + "; recording host metrics only");
      runtime.close();
      return null;
    }
  }

  /** Raises the given loggers to WARN (logback); log lines would tear the progress bar apart. */
  private static void quietLogs(String... names) {
    for (String name : names) {
      if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
        logger.setLevel(ch.qos.logback.classic.Level.WARN);
      }
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }
}
