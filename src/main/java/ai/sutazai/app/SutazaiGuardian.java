package ai.sutazai.app;

import ai.sutazai.supervisor.protocol.SupervisorProtocol;

import ai.sutazai.common.Concurrency;
import ai.sutazai.common.JournalSchema;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.metrics.MetricsCollector;
import ai.sutazai.runtime.ContainerRuntime;
import ai.sutazai.supervisor.FleetSupervisor;
import ai.sutazai.supervisor.container.HostPressure;
import ai.sutazai.supervisor.container.Prober;
import ai.sutazai.supervisor.settings.SupervisorSettings;
import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.util.concurrent.CompletableFuture;

/**
 * The root of the actor hierarchy. It brings the journal's tables to the latest migration
 * ({@link JournalSchema}, on the blocking dispatcher) unless {@code sutazai.persistence.create-schema} is off,
 * then starts the fleet
 * supervisor (and, as they are configured, the other rooms) and hands their references to the caller.
 */
public final class SutazaiGuardian {
  private SutazaiGuardian() {}

  public interface Command {}

  private record SchemaReady(Throwable failure) implements Command {}

  /** What the guardian started, for the command line and the HTTP rooms; {@code metrics} is null without metrics. */
  public record Started(ActorRef<SupervisorProtocol.Command> fleet, ActorRef<MetricsCollector.Command> metrics) {}

  /**
   * The guardian's inputs; {@code started} completes once the rooms run, or fails if the journal is unusable.
   *
   * @param metrics the metrics collector's setup, or null to run without one (tests)
   */
  public record Inputs(FleetSpec fleet, ContainerRuntime runtime, SupervisorSettings settings, HostPressure pressure,
      MetricsCollector.Setup metrics, CompletableFuture<Started> started) {
    public Inputs(FleetSpec fleet, ContainerRuntime runtime, SupervisorSettings settings, HostPressure pressure,
        CompletableFuture<Started> started) {
      this(fleet, runtime, settings, pressure, null, started);
    }
  }

  public static Behavior<Command> create(Inputs in) {
    return Behaviors.setup(ctx -> {
      com.typesafe.config.Config config = ctx.getSystem().settings().config();
      java.util.concurrent.CompletionStage<Done> schema = config.getBoolean("sutazai.persistence.create-schema")
          ? CompletableFuture.supplyAsync(() -> {
              JournalSchema.migrate(config);
              return Done.getInstance();
            }, Concurrency.blocking(ctx.getSystem()))
          : CompletableFuture.completedFuture(Done.getInstance());
      ctx.pipeToSelf(schema, (ok, err) -> new SchemaReady(err));
      return Behaviors.receive(Command.class)
          .onMessage(SchemaReady.class, m -> onSchema(ctx, in, m))
          .build();
    });
  }

  private static Behavior<Command> onSchema(ActorContext<Command> ctx, Inputs in, SchemaReady m) {
    if (m.failure() != null) {
      ctx.getLog().error("the journal database is not usable: {}", m.failure().toString());
      in.started().completeExceptionally(m.failure());
      return Behaviors.stopped();
    }
    Prober prober = new Prober(in.runtime(), in.pressure());
    ActorRef<SupervisorProtocol.Command> fleet =
        ctx.spawn(FleetSupervisor.create(in.fleet(), in.runtime(), in.settings(), prober), "fleet");
    ActorRef<MetricsCollector.Command> metrics = null;
    if (in.metrics() != null) {
      metrics = ctx.spawn(MetricsCollector.create(in.metrics()), "metrics");
      ctx.spawn(MetricsBridge.create(metrics), "metrics-bridge");
      com.typesafe.config.Config config = ctx.getSystem().settings().config();
      if (config.hasPath(ForecastPreActivator.Settings.PATH)) {
        ForecastPreActivator.Settings pre = ForecastPreActivator.Settings.fromConfig(config);
        if (pre.enabled()) {
          ctx.spawn(ForecastPreActivator.create(pre, metrics, fleet, java.time.Clock.systemUTC()), "pre-activation");
        }
      }
    }
    in.started().complete(new Started(fleet, metrics));
    return Behaviors.empty();
  }
}
