package ai.sutazai.api.live;

import ai.sutazai.api.Result;
import ai.sutazai.api.view.AlertView;
import ai.sutazai.api.view.BaselineView;
import ai.sutazai.api.view.ContainerView;
import ai.sutazai.api.view.HostSample;
import ai.sutazai.api.view.Telemetry;
import ai.sutazai.api.view.Thresholds;
import ai.sutazai.capacity.CapacityAnalysis;
import ai.sutazai.capacity.HostProbe;
import ai.sutazai.capacity.JsonReport;
import ai.sutazai.capacity.Recommendations;
import ai.sutazai.capacity.ReportInputs;
import ai.sutazai.capacity.StoredInputs;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.inference.InferenceMetrics;
import ai.sutazai.inference.InferenceModule;
import ai.sutazai.metrics.stats.CollectorSeries;
import ai.sutazai.metrics.MetricsCollector;
import ai.sutazai.metrics.stats.Sample;
import ai.sutazai.metrics.alerts.AlertJournal;
import ai.sutazai.metrics.baseline.Baseline;
import ai.sutazai.metrics.baseline.BaselineStore;
import ai.sutazai.metrics.forecast.CapacityForecast;
import ai.sutazai.metrics.forecast.ForecastSettings;
import ai.sutazai.metrics.stats.Point;
import ai.sutazai.runtime.ContainerInfo;
import ai.sutazai.runtime.ContainerRuntime;
import ai.sutazai.supervisor.protocol.AgentJournal;
import ai.sutazai.supervisor.healthfix.HealthHistory;
import ai.sutazai.supervisor.healthfix.HealthHistorySource;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The read-only rooms behind the API: containers (runtime), host samples, alerts and baselines (metrics),
 * the capacity analysis, and the inference router's latency figures. Blocking reads (Docker, JDBC, OSHI)
 * run on the blocking dispatcher.
 */
final class Observations {
  private static final ObjectMapper JSON = ai.sutazai.common.JsonMappers.plain();
  /** Period of the capacity view's health summary, as {@code sutazai analyze}'s default {@code --since}. */
  private static final Duration HEALTH_PERIOD = Duration.ofHours(24);

  private final ActorSystem<?> system;
  private final Config conf;
  private final FleetSpec fleet;
  private final ContainerRuntime runtime;
  private final ActorRef<MetricsCollector.Command> metrics;
  private final BaselineStore baselines;
  private final InferenceModule.Handle inference;
  private final Duration ask;
  private final Executor blocking;
  private final Thresholds thresholds;

  Observations(ActorSystem<?> system, Config conf, FleetSpec fleet, ContainerRuntime runtime,
      ActorRef<MetricsCollector.Command> metrics, BaselineStore baselines, InferenceModule.Handle inference, Duration ask) {
    this.system = system;
    this.conf = conf;
    this.fleet = fleet;
    this.runtime = runtime;
    this.metrics = metrics;
    this.baselines = baselines;
    this.inference = inference;
    this.ask = ask;
    this.blocking = ai.sutazai.common.Concurrency.blocking(system);
    this.thresholds = thresholds(conf);
    // Its failure counter is exposed from the start, not only once an actor has failed.
    ai.sutazai.common.JournalHealth.get(system);
  }

  private static Thresholds thresholds(Config conf) {
    Config r = conf.getConfig("sutazai.metrics.alerts.rules");
    return new Thresholds(r.getDouble("memory-utilisation.warning"), r.getDouble("memory-utilisation.critical"),
        r.getDouble("load-average.warning"), r.getDouble("load-average.critical"),
        r.getDouble("container-health-rate.warning"), r.getDouble("container-health-rate.critical"),
        r.getDouble("agent-response-time-p95.warning"), r.getDouble("agent-response-time-p95.critical"));
  }

  private CompletionStage<Sample> latest() {
    return AskPattern.ask(metrics, MetricsCollector.GetLatest::new, ask, system.scheduler());
  }

  CompletionStage<Result<List<ContainerView>>> containers() {
    CompletionStage<List<ContainerInfo>> listed = CompletableFuture.supplyAsync(() -> runtime.listManaged(fleet.name()), blocking);
    CompletionStage<MetricsCollector.ContainerCpu> cpu =
        AskPattern.ask(metrics, MetricsCollector.GetContainerCpu::new, ask, system.scheduler());
    return listed.thenCombine(latest(), (cs, s) -> cs.stream().map(c -> container(c, s)).toList())
        .thenCombine(cpu, (views, seconds) -> Result.ok(views.stream().map(v -> withCpuSeconds(v, seconds)).toList()));
  }

  private static ContainerView withCpuSeconds(ContainerView v, MetricsCollector.ContainerCpu cpu) {
    Double seconds = cpu.secondsById().get(v.id());
    return new ContainerView(v.id(), v.name(), v.agent(), v.image(), v.status(), v.health(), v.restarts(), v.cpuRatio(),
        v.memoryUsageBytes(), v.memoryLimitBytes(), v.startedAt(), seconds);
  }

  private static ContainerView container(ContainerInfo c, Sample s) {
    String agent = c.agent() == null ? "" : c.agent();
    double cpu = s.value(CollectorSeries.forAgent(CollectorSeries.CONTAINER_CPU_PERCENT, agent));
    double mem = s.value(CollectorSeries.forAgent(CollectorSeries.CONTAINER_MEMORY_USAGE_BYTES, agent));
    return new ContainerView(c.id(), c.name(), c.agent(), c.image(), c.state(), c.health(), c.restartCount(),
        Double.isNaN(cpu) ? null : cpu / 100.0, Double.isNaN(mem) ? null : (long) mem,
        c.memoryLimitBytes() > 0 ? c.memoryLimitBytes() : null, c.startedAt(), null);
  }

  CompletionStage<Result<List<AlertView>>> alerts() {
    CompletionStage<AlertJournal.Active> active = AskPattern.ask(metrics, MetricsCollector.GetAlerts::new, ask, system.scheduler());
    return active.thenApply(a -> Result.ok(a.alerts().stream().map(f -> new AlertView(f.key(), f.rule(),
        f.severity().name().toLowerCase(java.util.Locale.ROOT), f.series(), f.value(), f.threshold(),
        Instant.ofEpochMilli(f.atMillis()), f.rule() + " " + f.severity().name().toLowerCase(java.util.Locale.ROOT) + ": "
            + f.series() + " = " + f.value() + " (threshold " + f.threshold() + ")")).toList()));
  }

  CompletionStage<Result<List<BaselineView>>> baselines() {
    return CompletableFuture.supplyAsync(() -> Result.ok(baselines.list().stream().map(i -> new BaselineView(
        String.valueOf(i.id()), i.createdAt(), i.duration().toSeconds(), i.samples(), Map.<String, BaselineView.Stat>of(),
        Map.<String, Double>of())).toList()), blocking);
  }

  CompletionStage<Result<BaselineView>> baseline(String id) {
    long n;
    try {
      n = Long.parseLong(id);
    } catch (NumberFormatException e) {
      return CompletableFuture.completedFuture(Result.notFound("baseline", id));
    }
    return CompletableFuture.supplyAsync(() -> baselines.get(n).map(Observations::baselineView)
        .map(Result::ok).orElseGet(() -> Result.notFound("baseline", id)), blocking);
  }

  private static BaselineView baselineView(Baseline b) {
    Map<String, BaselineView.Stat> stats = new TreeMap<>();
    Map<String, Double> thresholds = new TreeMap<>();
    b.metrics().forEach(m -> {
      var s = m.summary();
      stats.put(m.series(), new BaselineView.Stat(s.mean(), s.stddev(), s.min(), s.max(), s.p50(), s.p95(), s.p99()));
      thresholds.put(m.series() + ".warning", m.warningThreshold());
      thresholds.put(m.series() + ".critical", m.criticalThreshold());
    });
    return new BaselineView(String.valueOf(b.id()), b.createdAt(), b.duration().toSeconds(), b.samples(), stats, thresholds);
  }

  /**
   * The capacity analysis with the same inputs as {@code sutazai analyze}: health from the journal over the
   * last day, utilisation from the latest baseline, and the forecast from the collector's history (from
   * the latest baseline's samples while the collector has too little).
   */
  CompletionStage<Result<JsonNode>> capacity() {
    Instant now = Instant.now();
    CompletionStage<java.util.Optional<ReportInputs.HealthSummary>> health = HealthHistory.read(new AgentJournal(system),
        fleet.name(), List.copyOf(fleet.agents().keySet()), now.minus(HEALTH_PERIOD), now, HealthHistorySource.MAX_EVENTS_PER_AGENT);
    CompletionStage<CapacityForecast> forecast = AskPattern.ask(metrics, MetricsCollector.GetCapacityForecast::new, ask,
        system.scheduler());
    CompletionStage<Sample> current = latest();
    CompletionStage<ReportInputs> inputs = health.thenCombine(forecast.thenCombine(current, (f, s) ->
        StoredInputs.forecast(f, s.values(), now, ForecastSettings.fromConfig(conf).horizon(), "the running collector's history")),
        (h, f) -> {
          ReportInputs in = h.map(ReportInputs.none()::withHealth).orElse(ReportInputs.none());
          return f.map(in::withForecast).orElse(in);
        });
    return inputs.thenApplyAsync(in -> {
      ReportInputs all = in;
      java.util.Optional<Baseline> b = baselines.latest();
      if (b.isPresent()) {
        all = all.withUtilisation(StoredInputs.utilisation(b.get()));
        if (all.forecast().isEmpty()) {
          all = StoredInputs.forecast(b.get(), ForecastSettings.fromConfig(conf)).applyTo(all);
        }
      }
      CapacityAnalysis.Result r = CapacityAnalysis.analyze(fleet, HostProbe.detect(), CapacityAnalysis.Targets.fromConfig(conf));
      String json = JsonReport.render(r, Recommendations.of(r, Recommendations.Prices.fromConfig(conf)), all, now);
      try {
        return Result.ok(JSON.readTree(json));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, blocking);
  }

  private CompletionStage<List<Point>> series(String name, Duration window) {
    CompletionStage<MetricsCollector.Series> s = AskPattern.ask(metrics, r -> new MetricsCollector.GetSeries(name, window, r),
        ask, system.scheduler());
    return s.thenApply(MetricsCollector.Series::points);
  }

  CompletionStage<List<HostSample>> history(Duration window) {
    String[] names = {CollectorSeries.HOST_CPU_PERCENT, CollectorSeries.HOST_MEMORY_UTILISATION_RATIO, CollectorSeries.HOST_MEMORY_USED_BYTES,
        CollectorSeries.HOST_MEMORY_TOTAL_BYTES, CollectorSeries.HOST_LOAD1, CollectorSeries.HOST_CPU_CORES, CollectorSeries.CONTAINER_HEALTH_RATE_RATIO};
    List<CompletableFuture<List<Point>>> parts = new ArrayList<>();
    for (String n : names) {
      parts.add(series(n, window).toCompletableFuture());
    }
    return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
      Map<Long, double[]> byTime = new TreeMap<>();
      for (int i = 0; i < names.length; i++) {
        for (Point p : parts.get(i).join()) {
          double[] row = byTime.computeIfAbsent(p.timeMillis(), t -> {
            double[] r = new double[names.length];
            java.util.Arrays.fill(r, Double.NaN);
            return r;
          });
          row[i] = p.value();
        }
      }
      List<HostSample> out = new ArrayList<>();
      byTime.forEach((t, r) -> out.add(sample(t, r)));
      return out;
    });
  }

  private static HostSample sample(long t, double[] r) {
    return new HostSample(Instant.ofEpochMilli(t), nz(r[0]) / 100.0, nz(r[1]), (long) nz(r[2]), (long) nz(r[3]), nz(r[4]),
        (int) nz(r[5]), Double.isNaN(r[6]) ? 1.0 : r[6]);
  }

  static HostSample sample(Sample s) {
    return sample(s.timeMillis(), new double[] {s.value(CollectorSeries.HOST_CPU_PERCENT), s.value(CollectorSeries.HOST_MEMORY_UTILISATION_RATIO),
        s.value(CollectorSeries.HOST_MEMORY_USED_BYTES), s.value(CollectorSeries.HOST_MEMORY_TOTAL_BYTES), s.value(CollectorSeries.HOST_LOAD1),
        s.value(CollectorSeries.HOST_CPU_CORES), s.value(CollectorSeries.CONTAINER_HEALTH_RATE_RATIO)});
  }

  private static double nz(double v) {
    return Double.isNaN(v) ? 0 : v;
  }

  CompletionStage<Telemetry> telemetry() {
    CompletionStage<InferenceMetrics.Snapshot> router = inference == null
        ? CompletableFuture.completedFuture(new InferenceMetrics.Snapshot(List.of(), Map.of(), Map.of()))
        : inference.metrics();
    return latest().thenCombine(router, (s, m) -> new Telemetry(sample(s), thresholds, inference(m)));
  }

  /** Per model: the router's figures summed over workers (bucket counts add up: the buckets are the same). */
  private static List<Telemetry.InferenceModel> inference(InferenceMetrics.Snapshot m) {
    int n = InferenceMetrics.BUCKET_SECONDS.length + 1;
    List<Double> bounds = new ArrayList<>();
    for (double b : InferenceMetrics.BUCKET_SECONDS) {
      bounds.add(b);
    }
    bounds.add(Double.POSITIVE_INFINITY);
    Map<String, long[][]> buckets = new TreeMap<>();
    Map<String, double[]> sums = new HashMap<>();
    java.util.Set<String> models = new java.util.TreeSet<>(m.queueDepthPerModel().keySet());
    models.addAll(m.rejectedPerModel().keySet());
    m.perWorkerModel().forEach(wm -> models.add(wm.model()));
    for (String model : models) {
      buckets.put(model, new long[2][n]);
      sums.put(model, new double[4]);
    }
    for (InferenceMetrics.WorkerModel wm : m.perWorkerModel()) {
      long[][] b = buckets.get(wm.model());
      for (int i = 0; i < n && i < wm.latencyBuckets().size(); i++) {
        b[0][i] += wm.latencyBuckets().get(i);
      }
      for (int i = 0; i < n && i < wm.ttfbBuckets().size(); i++) {
        b[1][i] += wm.ttfbBuckets().get(i);
      }
      double[] sm = sums.get(wm.model());
      sm[0] += wm.latencySecondsSum();
      sm[1] += wm.ttfbSecondsSum();
      sm[2] += wm.evalCount();
      sm[3] += wm.evalSeconds();
    }
    List<Telemetry.InferenceModel> out = new ArrayList<>();
    buckets.forEach((model, b) -> {
      double[] sm = sums.get(model);
      out.add(new Telemetry.InferenceModel(model, bounds, longs(b[0]), sm[0], longs(b[1]), sm[1], (long) sm[2], sm[3],
          m.queueDepthPerModel().getOrDefault(model, 0), m.rejectedPerModel().getOrDefault(model, 0L)));
    });
    return out;
  }

  private static List<Long> longs(long[] a) {
    return java.util.Arrays.stream(a).boxed().toList();
  }
}
