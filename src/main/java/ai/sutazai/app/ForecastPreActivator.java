package ai.sutazai.app;

import ai.sutazai.supervisor.protocol.SupervisorProtocol;

import ai.sutazai.common.SettingsException;
import ai.sutazai.metrics.MetricsCollector;
import ai.sutazai.metrics.forecast.DemandForecast;
import ai.sutazai.supervisor.protocol.ActivationResult;
import ai.sutazai.supervisor.protocol.ActivationSource;
import ai.sutazai.supervisor.FleetSupervisor;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Forecast pre-activation: every {@code interval} it asks the MetricsCollector for the demand forecast and
 * asks the FleetSupervisor — through its protocol only, {@link SupervisorProtocol.Activate} with
 * {@link ActivationSource#FORECAST} — to activate each agent whose forecast demand reaches
 * {@code min-requests} within the forecast horizon, so its container is warm before the requests come.
 * The pools decide as for any activation (quota, priority, queue); an agent is asked for again only after
 * {@code cooldown}. Lives at the root because it joins two rooms, as MetricsBridge does.
 * Off unless {@code sutazai.quota.pre-activation.enabled}.
 */
public final class ForecastPreActivator extends AbstractBehavior<ForecastPreActivator.Command> {

  public interface Command {}

  private enum Tick implements Command { INSTANCE }

  private record Forecasted(DemandForecast forecast, Throwable failure) implements Command {}

  private record Answered(String agent, ActivationResult result, Throwable failure) implements Command {}

  /**
   * {@code sutazai.quota.pre-activation} (reference.conf documents each key).
   *
   * @param minRequests forecast peak (requests per sample interval) from which an agent is pre-activated
   * @param deadline how long each activation request may wait in the pool's queue
   * @param cooldown least time between two requests for the same agent
   */
  public record Settings(boolean enabled, Duration interval, double minRequests, Duration deadline, Duration cooldown,
      Duration askTimeout) {

    public static final String PATH = "sutazai.quota.pre-activation";

    public static Settings fromConfig(Config root) {
      try {
        Config c = root.getConfig(PATH);
        Settings s = new Settings(c.getBoolean("enabled"), c.getDuration("interval"), c.getDouble("min-requests"),
            c.getDuration("deadline"), c.getDuration("cooldown"), c.getDuration("ask-timeout"));
        for (Map.Entry<String, Duration> d : Map.of("interval", s.interval(), "deadline", s.deadline(),
            "ask-timeout", s.askTimeout()).entrySet()) {
          if (d.getValue().isZero() || d.getValue().isNegative()) {
            throw new SettingsException(PATH + "." + d.getKey() + " must be a positive duration, was " + d.getValue());
          }
        }
        if (!(s.minRequests() > 0)) {
          throw new SettingsException(PATH + ".min-requests must be more than 0, was " + s.minRequests());
        }
        return s;
      } catch (ConfigException e) {
        throw new SettingsException(e.getMessage());
      }
    }
  }

  /** The actor, or nothing (a behavior that stops at once) when pre-activation is off. */
  public static Behavior<Command> create(Settings settings, ActorRef<MetricsCollector.Command> metrics,
      ActorRef<SupervisorProtocol.Command> fleet, Clock clock) {
    if (!settings.enabled()) {
      return Behaviors.stopped();
    }
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.interval());
      return new ForecastPreActivator(ctx, settings, metrics, fleet, clock);
    }));
  }

  private final Settings settings;
  private final ActorRef<MetricsCollector.Command> metrics;
  private final ActorRef<SupervisorProtocol.Command> fleet;
  private final Clock clock;
  /** When each agent was last asked for (confined to this actor). */
  private final Map<String, Instant> lastAsked = new HashMap<>();
  private boolean asking;

  private ForecastPreActivator(ActorContext<Command> ctx, Settings settings, ActorRef<MetricsCollector.Command> metrics,
      ActorRef<SupervisorProtocol.Command> fleet, Clock clock) {
    super(ctx);
    this.settings = settings;
    this.metrics = metrics;
    this.fleet = fleet;
    this.clock = clock;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Tick.class, t -> onTick())
        .onMessage(Forecasted.class, this::onForecast)
        .onMessage(Answered.class, this::onAnswered)
        .build();
  }

  private Behavior<Command> onTick() {
    if (asking) {
      return this; // the previous forecast has not come back yet
    }
    asking = true;
    getContext().ask(DemandForecast.class, metrics, settings.askTimeout(), MetricsCollector.GetDemandForecast::new,
        Forecasted::new);
    return this;
  }

  private Behavior<Command> onForecast(Forecasted f) {
    asking = false;
    if (f.failure() != null) {
      getContext().getLog().warn("pre-activation: no demand forecast from the metrics collector: {}", f.failure().toString());
      return this;
    }
    Instant now = clock.instant();
    List<Map.Entry<String, Double>> due = f.forecast().peakRequests().entrySet().stream()
        .filter(e -> e.getValue() >= settings.minRequests())
        .filter(e -> !lastAsked.containsKey(e.getKey()) || !now.isBefore(lastAsked.get(e.getKey()).plus(settings.cooldown())))
        .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
        .toList();
    for (Map.Entry<String, Double> e : due) {
      String agent = e.getKey();
      lastAsked.put(agent, now);
      String reason = String.format(Locale.ROOT, "forecast: %.2f requests per sample predicted (threshold %.2f)",
          e.getValue(), settings.minRequests());
      Instant deadline = now.plus(settings.deadline());
      getContext().askWithStatus(ActivationResult.class, fleet, settings.deadline().plus(settings.askTimeout()),
          replyTo -> new SupervisorProtocol.Activate(agent, ActivationSource.FORECAST, reason, deadline, replyTo),
          (result, failure) -> new Answered(agent, result, failure));
      getContext().getLog().info("pre-activation: asked for {} ({})", agent, reason);
    }
    return this;
  }

  private Behavior<Command> onAnswered(Answered a) {
    if (a.failure() != null) {
      getContext().getLog().info("pre-activation of {} not done: {}", a.agent(), a.failure().getMessage());
    } else {
      getContext().getLog().debug("pre-activation of {}: {}", a.agent(), a.result().outcome());
    }
    return this;
  }
}
