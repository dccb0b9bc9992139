package ai.sutazai.metrics;

import io.prometheus.metrics.core.metrics.Histogram;
import ai.sutazai.metrics.stats.CollectorSeries;
import ai.sutazai.metrics.stats.Sample;

import ai.sutazai.common.CborSerializable;
import ai.sutazai.metrics.alerts.AlertEvaluator;
import ai.sutazai.metrics.alerts.AlertRule;
import ai.sutazai.metrics.baseline.Baseline;
import ai.sutazai.metrics.baseline.BaselineRecorder;
import ai.sutazai.metrics.baseline.BaselineStore;
import ai.sutazai.metrics.forecast.CapacityForecast;
import ai.sutazai.metrics.forecast.DemandForecast;
import ai.sutazai.metrics.forecast.Forecast;
import ai.sutazai.metrics.forecast.ForecastSettings;
import ai.sutazai.metrics.stats.MetricStore;
import ai.sutazai.metrics.stats.Point;
import ai.sutazai.metrics.stats.RingBuffer;
import ai.sutazai.metrics.stats.Statistics;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.pattern.StatusReply;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Samples the host, the managed containers and the agents every {@code sample-interval}, keeps the
 * history in ring buffers and answers queries about it. Agents' latencies and states are pushed to it
 * by others (router, pool). Every finished sample goes to the subscribers — the children
 * {@link ai.sutazai.metrics.alerts.AlertEvaluator} and {@link ai.sutazai.metrics.baseline.BaselineRecorder}
 * among them.
 *
 * <p>Blocking reads (OSHI, the container engine) run on {@code sutazai-blocking-dispatcher}; the result
 * comes back through {@code pipeToSelf}. At most one sample is in flight: a tick that finds the previous
 * one still running is skipped, so a slow engine cannot pile up work. All history is confined to this
 * actor.
 */
public final class MetricsCollector extends AbstractBehavior<MetricsCollector.Command> {

  public interface Command {}

  /** Replies with the latest sample (time 0 and no values before the first one). */
  public record GetLatest(ActorRef<Sample> replyTo) implements Command, CborSerializable {}

  /** Asks for the CPU seconds each running container has used since it started (see {@link ContainerCpu}). */
  public record GetContainerCpu(ActorRef<ContainerCpu> replyTo) implements Command, CborSerializable {}

  /** Container id → CPU seconds used since it started, as of the latest sample; empty without an engine. */
  public record ContainerCpu(Map<String, Double> secondsById) implements CborSerializable {}

  /** Replies with the points of one series over the last {@code window}. */
  public record GetSeries(String series, Duration window, ActorRef<Series> replyTo) implements Command, CborSerializable {}

  public record Series(String series, List<Point> points) implements CborSerializable {
    public Series {
      points = List.copyOf(points);
    }
  }

  /** Replies with the names of every series held. */
  public record ListSeries(ActorRef<SeriesNames> replyTo) implements Command, CborSerializable {}

  public record SeriesNames(List<String> names) implements CborSerializable {}

  /** One answered request of {@code agent} took {@code millis} (from the router). */
  public record RecordAgentLatency(String agent, long millis) implements Command, CborSerializable {}

  /** {@code agent} took {@code millis} from activation until healthy (from the pool). */
  public record RecordColdStart(String agent, long millis) implements Command, CborSerializable {}

  /** How many agents are in each lifecycle state now (from the pool); replaces the previous counts. */
  public record AgentStateCount(Map<String, Integer> agentsByState) implements Command, CborSerializable {
    public AgentStateCount {
      agentsByState = Map.copyOf(agentsByState);
    }
  }

  /** Sends every future sample to {@code subscriber} until it stops or unsubscribes. */
  public record Subscribe(ActorRef<Sample> subscriber) implements Command, CborSerializable {}

  /** The alerts firing now, with value, threshold and since (empty when alerting is off). */
  public record GetAlerts(ActorRef<ai.sutazai.metrics.alerts.AlertJournal.Active> replyTo) implements Command, CborSerializable {}

  public record Unsubscribe(ActorRef<Sample> subscriber) implements Command, CborSerializable {}

  /**
   * Records a baseline over {@code duration} from the samples to come (BaselineRecorder); progress after
   * each sample, the stored baseline or an error in the reply.
   */
  public record RecordBaseline(Duration duration, String label, ActorRef<BaselineRecorder.Progress> progressTo,
      ActorRef<StatusReply<Baseline>> replyTo) implements Command, CborSerializable {}

  /** Stops the baseline being recorded and stores what it recorded, marked incomplete (BaselineRecorder.Interrupt). */
  public record StopBaseline(ActorRef<StatusReply<Baseline>> replyTo) implements Command, CborSerializable {}

  /**
   * Forecasts {@code series} from its last {@code history} over {@code horizon}; {@code capacity} is the
   * level counted as exhausted (NaN for none). The reply's forecast is null when history is too short.
   */
  public record GetForecast(String series, Duration history, Duration horizon, double capacity,
      ActorRef<ForecastReply> replyTo) implements Command, CborSerializable {}

  public record ForecastReply(Forecast forecast) implements CborSerializable {}

  /** Forecasts memory, CPU and agent demand over the configured horizon from the whole history held. */
  public record GetCapacityForecast(ActorRef<CapacityForecast> replyTo) implements Command, CborSerializable {}

  /**
   * The hook for the AgentPool: per-agent demand forecast and, when
   * {@code sutazai.metrics.forecast.pre-activation} is on, the agents to activate ahead of demand.
   */
  public record GetDemandForecast(ActorRef<DemandForecast> replyTo) implements Command, CborSerializable {}

  /** Takes a sample now, outside the schedule (skipped when one is already in flight). */
  public enum SampleNow implements Command { INSTANCE }

  private enum Tick implements Command { INSTANCE }

  private record Sampled(Map<String, Double> values, List<String> errors) implements Command {}

  private record SubscriberTerminated(ActorRef<Sample> subscriber) implements Command {}

  /**
   * What the collector is built from.
   *
   * @param containers container sampler, or null when no container engine is used
   * @param baselineStore where baselines are stored, or null to return them unstored
   * @param rules alert rules, used for the thresholds derived by baselines
   * @param alerts the AlertEvaluator to run as a child (see {@link AlertEvaluator#create(
   *     ai.sutazai.metrics.alerts.AlertSettings, String)}), or null for no alerting
   * @param forecast forecasting settings
   */
  public record Setup(MetricsSettings settings, HostSampler host, ContainerSampler containers, Clock clock,
      BaselineStore baselineStore, List<AlertRule> rules, Behavior<AlertEvaluator.Command> alerts,
      ForecastSettings forecast) {

    /**
     * The daemon's setup from config: OSHI host sampler, containers of {@code runtime} (null: none) of the
     * configured fleet or, when none is configured, of {@code fleet} (the one the daemon supervises: another
     * fleet's crashed containers on the same engine are not this fleet's health), alerting as configured with
     * the journal id {@code metrics-alerts|<node>}. Blocks briefly (OSHI reads /proc): call it while starting
     * up, not from a message handler.
     */
    public static Setup fromConfig(com.typesafe.config.Config config, ai.sutazai.runtime.ContainerRuntime runtime,
        BaselineStore baselineStore, String node, String fleet) {
      MetricsSettings settings = MetricsSettings.fromConfig(config);
      ai.sutazai.metrics.alerts.AlertSettings alerts = ai.sutazai.metrics.alerts.AlertSettings.fromConfig(config);
      String sampled = settings.containersFleet().isBlank() ? fleet : settings.containersFleet();
      ContainerSampler containers = runtime != null && settings.containersEnabled()
          ? new ContainerSampler(runtime, sampled, settings.containerStatsParallelism()) : null;
      return new Setup(settings, new OshiHostSampler(settings.deviceRefresh()), containers, Clock.systemUTC(),
          baselineStore, alerts.rules(), alerts.enabled() ? AlertEvaluator.create(alerts, "metrics-alerts|" + node) : null,
          ForecastSettings.fromConfig(config));
    }
  }

  /** Collector with the given samplers; {@code containers} may be null (no container engine). */
  public static Behavior<Command> create(MetricsSettings settings, HostSampler host, ContainerSampler containers, Clock clock) {
    return create(new Setup(settings, host, containers, clock, null, List.of(), null, ForecastSettings.defaults()));
  }

  public static Behavior<Command> create(Setup setup) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, setup.settings().sampleInterval());
      return new MetricsCollector(context, setup);
    }));
  }

  private final MetricsSettings settings;
  private final ForecastSettings forecastSettings;
  private final HostSampler host;
  private final ContainerSampler containers;
  private final Clock clock;
  private final Executor blocking;
  private final MetricStore store;
  private final ActorRef<BaselineRecorder.Command> baselineRecorder;
  private final ActorRef<AlertEvaluator.Command> alerts;
  private final Map<String, RingBuffer> latencies = new HashMap<>();
  private final Map<String, Integer> requestsSinceSample = new HashMap<>();
  private final Map<String, Double> coldStartSeconds = new HashMap<>();
  private final Set<ActorRef<Sample>> subscribers = new HashSet<>();
  private Map<String, Integer> agentStates = Map.of();
  private Sample latest = new Sample(0, Map.of());
  private boolean inFlight;

  /** Exported, cumulative since start (the ring buffers above hold only the recent window). */
  private final Histogram responseTimes;
  private final Histogram coldStarts;

  private MetricsCollector(ActorContext<Command> context, Setup setup) {
    super(context);
    this.settings = setup.settings();
    this.forecastSettings = setup.forecast();
    this.host = setup.host();
    this.clock = setup.clock();
    this.blocking = ai.sutazai.common.Concurrency.blocking(context.getSystem());
    this.containers = setup.containers() == null ? null : setup.containers().onExecutor(blocking);
    this.store = new MetricStore(settings.tiers(), settings.maxSeries());
    ai.sutazai.common.MetricsRegistry registry = ai.sutazai.common.MetricsRegistry.get(context.getSystem());
    this.responseTimes = registry.once("sutazai_agent_response_time_seconds", r -> Histogram.builder()
        .name("sutazai_agent_response_time_seconds").help("Agents' response times through the agent front (forwarded to response headers), seconds")
        .labelNames("agent").classicOnly().classicUpperBounds(ai.sutazai.common.MetricsRegistry.SECONDS_BUCKETS_SECONDS)
        .register(r));
    this.coldStarts = registry.once("sutazai_agent_cold_start_seconds", r -> Histogram.builder()
        .name("sutazai_agent_cold_start_seconds").help("Agents' cold starts, activation requested to healthy, since start")
        .labelNames("agent").classicOnly().classicUpperBounds(ai.sutazai.common.MetricsRegistry.SECONDS_BUCKETS_SECONDS)
        .register(r));
    this.baselineRecorder = context.spawn(BaselineRecorder.create(setup.baselineStore(), setup.rules(),
        settings.ewmaAlpha(), settings.sampleInterval(), clock), "baseline-recorder");
    this.alerts = setup.alerts() == null ? null : context.spawn(setup.alerts(), "alert-evaluator");
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Tick.class, t -> startSample())
        .onMessage(SampleNow.class, t -> startSample())
        .onMessage(Sampled.class, this::onSampled)
        .onMessage(GetLatest.class, this::onGetLatest)
        .onMessage(GetContainerCpu.class, q -> {
          q.replyTo().tell(new ContainerCpu(containers == null ? Map.of() : containers.cpuSecondsTotal()));
          return this;
        })
        .onMessage(GetSeries.class, this::onGetSeries)
        .onMessage(ListSeries.class, this::onListSeries)
        .onMessage(RecordAgentLatency.class, this::onAgentLatency)
        .onMessage(RecordColdStart.class, this::onColdStart)
        .onMessage(AgentStateCount.class, this::onAgentStates)
        .onMessage(RecordBaseline.class, this::onRecordBaseline)
        .onMessage(StopBaseline.class, this::onStopBaseline)
        .onMessage(GetForecast.class, this::onGetForecast)
        .onMessage(GetCapacityForecast.class, this::onGetCapacityForecast)
        .onMessage(GetDemandForecast.class, this::onGetDemandForecast)
        .onMessage(Subscribe.class, this::onSubscribe)
        .onMessage(GetAlerts.class, this::onGetAlerts)
        .onMessage(Unsubscribe.class, this::onUnsubscribe)
        .onMessage(SubscriberTerminated.class, this::onSubscriberTerminated)
        .build();
  }

  private Behavior<Command> startSample() {
    if (inFlight) {
      getContext().getLog().debug("previous sample still running; skipping this tick");
      return this;
    }
    inFlight = true;
    getContext().pipeToSelf(CompletableFuture.supplyAsync(this::readBlocking, blocking), (result, failure) ->
        failure != null
            ? new Sampled(Map.of(), List.of("sampling failed: " + failure))
            : result);
    return this;
  }

  /** Runs on the blocking dispatcher: touches only the samplers, never the actor's state. */
  private Sampled readBlocking() {
    Map<String, Double> values = new HashMap<>();
    List<String> errors = new ArrayList<>();
    try {
      values.putAll(host.sample());
    } catch (RuntimeException e) {
      errors.add("host: " + e.getMessage());
    }
    if (containers != null) {
      try {
        values.putAll(containers.sample());
      } catch (RuntimeException e) {
        errors.add("containers: " + e.getMessage());
      }
    }
    return new Sampled(values, errors);
  }

  private Behavior<Command> onSampled(Sampled s) {
    inFlight = false;
    for (String error : s.errors()) {
      getContext().getLog().warn("metrics {}", error);
    }
    long now = clock.millis();
    Map<String, Double> values = new HashMap<>(s.values());
    addAgentMetrics(values, now);
    for (Map.Entry<String, Double> e : values.entrySet()) {
      store.record(e.getKey(), now, e.getValue());
    }
    latest = new Sample(now, values);
    baselineRecorder.tell(new BaselineRecorder.Observed(latest));
    if (alerts != null) {
      alerts.tell(new AlertEvaluator.Evaluate(latest));
    }
    for (ActorRef<Sample> subscriber : subscribers) {
      subscriber.tell(latest);
    }
    return this;
  }

  private Behavior<Command> onStopBaseline(StopBaseline s) {
    baselineRecorder.tell(new BaselineRecorder.Interrupt(s.replyTo()));
    return this;
  }

  private Behavior<Command> onRecordBaseline(RecordBaseline r) {
    baselineRecorder.tell(new BaselineRecorder.Record(r.duration(), r.label(), r.progressTo(), r.replyTo()));
    return this;
  }

  private void addAgentMetrics(Map<String, Double> values, long now) {
    long from = now - settings.latencyWindow().toMillis();
    for (Map.Entry<String, RingBuffer> e : latencies.entrySet()) {
      List<Point> recent = e.getValue().window(from, Long.MAX_VALUE);
      if (!recent.isEmpty()) {
        double[] millis = recent.stream().mapToDouble(Point::value).toArray();
        values.put(CollectorSeries.forAgent(CollectorSeries.AGENT_RESPONSE_TIME_P95_SECONDS, e.getKey()),
            Statistics.percentile(millis, 95) / 1000.0);
      }
    }
    for (String agent : latencies.keySet()) {
      values.put(CollectorSeries.forAgent(CollectorSeries.AGENT_REQUESTS, agent),
          (double) requestsSinceSample.getOrDefault(agent, 0));
    }
    requestsSinceSample.clear();
    coldStartSeconds.forEach((agent, seconds) ->
        values.put(CollectorSeries.forAgent(CollectorSeries.AGENT_COLD_START_SECONDS, agent), seconds));
    agentStates.forEach((state, count) ->
        values.put(CollectorSeries.labelled(CollectorSeries.AGENTS, "state", state), (double) count));
  }

  private Behavior<Command> onGetLatest(GetLatest q) {
    q.replyTo().tell(latest);
    return this;
  }

  private Behavior<Command> onGetSeries(GetSeries q) {
    long now = clock.millis();
    q.replyTo().tell(new Series(q.series(), store.window(q.series(), now - q.window().toMillis(), now)));
    return this;
  }

  private Behavior<Command> onListSeries(ListSeries q) {
    q.replyTo().tell(new SeriesNames(store.names()));
    return this;
  }

  private Behavior<Command> onAgentLatency(RecordAgentLatency r) {
    latencies.computeIfAbsent(r.agent(), a -> new RingBuffer(settings.maxLatenciesPerAgent()))
        .add(clock.millis(), r.millis());
    requestsSinceSample.merge(r.agent(), 1, Integer::sum);
    responseTimes.labelValues(r.agent()).observe(r.millis() / 1000.0);
    return this;
  }

  private Behavior<Command> onColdStart(RecordColdStart r) {
    coldStartSeconds.put(r.agent(), r.millis() / 1000.0);
    coldStarts.labelValues(r.agent()).observe(r.millis() / 1000.0);
    return this;
  }

  private Behavior<Command> onAgentStates(AgentStateCount c) {
    agentStates = c.agentsByState();
    return this;
  }

  private Behavior<Command> onGetForecast(GetForecast q) {
    q.replyTo().tell(new ForecastReply(forecasts().forecast(q.series(), q.history(), q.horizon(), q.capacity())));
    return this;
  }

  private Behavior<Command> onGetCapacityForecast(GetCapacityForecast q) {
    q.replyTo().tell(forecasts().capacity(latencies.keySet()));
    return this;
  }

  private Behavior<Command> onGetDemandForecast(GetDemandForecast q) {
    q.replyTo().tell(forecasts().demand(latencies.keySet()));
    return this;
  }

  private StoreForecasts forecasts() {
    return new StoreForecasts(store, settings, forecastSettings, clock.millis());
  }

  private Behavior<Command> onGetAlerts(GetAlerts m) {
    if (alerts == null) {
      m.replyTo().tell(new ai.sutazai.metrics.alerts.AlertJournal.Active(java.util.List.of(), 0));
    } else {
      alerts.tell(new AlertEvaluator.GetActive(m.replyTo()));
    }
    return this;
  }

  private Behavior<Command> onSubscribe(Subscribe s) {
    if (subscribers.add(s.subscriber())) {
      getContext().watchWith(s.subscriber(), new SubscriberTerminated(s.subscriber()));
    }
    return this;
  }

  private Behavior<Command> onUnsubscribe(Unsubscribe u) {
    if (subscribers.remove(u.subscriber())) {
      getContext().unwatch(u.subscriber());
    }
    return this;
  }

  private Behavior<Command> onSubscriberTerminated(SubscriberTerminated t) {
    subscribers.remove(t.subscriber());
    return this;
  }
}
