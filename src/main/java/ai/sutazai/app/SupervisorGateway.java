package ai.sutazai.app;

import ai.sutazai.supervisor.protocol.SupervisorProtocol;

import ai.sutazai.common.MetricsRegistry;
import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.front.AgentLink;
import ai.sutazai.inference.AgentAdmission;
import ai.sutazai.inference.AgentGateway;
import ai.sutazai.metrics.stats.MetricNames;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.supervisor.protocol.ActivationResult;
import ai.sutazai.supervisor.protocol.ActivationSource;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.pattern.StatusReply;
import io.prometheus.metrics.core.metrics.Counter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisor's side of {@link AgentGateway}: a request naming a fleet agent counts as that agent's
 * traffic and keeps it busy until the request ends ({@code Busy(agent, true)} at admission,
 * {@code Busy(agent, false)} when {@link #finished}), so a long generation is never stopped for idleness
 * or preempted; it asks for the agent's activation if it is not running (queued by priority like any
 * other request), and is served at the agent's priority. Agents the fleet does not know are served at
 * priority 0, so a router-only deployment works with any client.
 *
 * <p>The pool's answer to an activation is taken, never dropped: a rejection (or an error, such as the
 * journal being unavailable) is logged with its reason and counted ({@link #rejectedActivations()}). The
 * agent front ({@code ai.sutazai.front}) asks for activations and marks requests busy through the same
 * {@link #activate} and {@link #busy}.
 */
public final class SupervisorGateway implements AgentGateway {
  private final FleetSpec fleet;
  private final ActorRef<SupervisorProtocol.Command> supervisor;
  private final ActorSystem<?> system;
  /** Rejected or failed activations by who asked (the router: INFERENCE, the front: GATEWAY). */
  private final Counter rejected;
  private static final Logger LOG = LoggerFactory.getLogger(SupervisorGateway.class);
  /** How long an activation may wait for the pool's (journalled) answer. */
  private static final Duration ACTIVATION_ASK = Duration.ofSeconds(30);
  /** Who may ask for an activation through this gateway: the router and the agent front. */
  private static final List<ActivationSource> SOURCES = List.of(ActivationSource.INFERENCE, ActivationSource.GATEWAY);

  public SupervisorGateway(FleetSpec fleet, ActorRef<SupervisorProtocol.Command> supervisor, ActorSystem<?> system) {
    this.fleet = fleet;
    this.supervisor = supervisor;
    this.system = system;
    this.rejected = MetricsRegistry.get(system).once(MetricNames.ROUTER_ACTIVATION_REJECTIONS_TOTAL,
        r -> Counter.builder().name(MetricNames.ROUTER_ACTIVATION_REJECTIONS_TOTAL)
            .help("Activations of named agents asked by the router or the agent front that the pool rejected or that failed")
            .labelNames("source").register(r));
    for (ActivationSource s : SOURCES) {
      rejected.labelValues(label(s)); // each shown from 0
    }
  }

  @Override
  public CompletionStage<AgentAdmission> admit(String agentName) {
    AgentSpec spec = fleet.agents().get(agentName);
    if (spec == null) {
      return CompletableFuture.completedFuture(AgentAdmission.admit(0));
    }
    supervisor.tell(new SupervisorProtocol.Busy(agentName, true));
    activate(agentName, ActivationSource.INFERENCE, "inference request");
    return CompletableFuture.completedFuture(AgentAdmission.admit(spec.priority()));
  }

  /** True when the fleet has an agent of that name. */
  @Override
  public boolean knows(String agentName) {
    return fleet.agents().containsKey(agentName);
  }

  /**
   * Asks the agent's pool to activate it and answers with the pool's decision (ACTIVE, STARTING, QUEUED or
   * REJECTED); a rejection is logged and counted here. The stage fails with the supervisor's error (unknown
   * agent, journal unavailable), which is logged and counted as well.
   */
  public CompletionStage<ActivationResult> activate(String agentName, ActivationSource source, String reason) {
    return activate(agentName, source, reason, null);
  }

  /** As {@link #activate(String, ActivationSource, String)}; a request still queued at {@code deadline} (null: none) is rejected by the pool. */
  public CompletionStage<ActivationResult> activate(String agentName, ActivationSource source, String reason,
      java.time.Instant deadline) {
    CompletionStage<StatusReply<ActivationResult>> reply = AskPattern.ask(supervisor,
        r -> new SupervisorProtocol.Activate(agentName, source, reason, deadline, r), ACTIVATION_ASK, system.scheduler());
    return reply.handle((r, err) -> {
      String why = err != null ? String.valueOf(err.getMessage()) : r.isError() ? r.getError().getMessage()
          : r.getValue().outcome() == ActivationResult.Outcome.REJECTED ? r.getValue().reason() : null;
      if (why != null) {
        rejected.labelValues(label(source)).inc();
        LOG.warn("activation of {} ({}) not granted: {}", agentName, source, why);
      }
      if (err != null) {
        throw new java.util.concurrent.CompletionException(err);
      }
      if (r.isError()) {
        throw new java.util.concurrent.CompletionException(r.getError());
      }
      return r.getValue();
    });
  }

  /** A request for the agent started ({@code true}) or ended: busy meanwhile; both count as its traffic. */
  public void busy(String agentName, boolean inFlight) {
    if (fleet.agents().containsKey(agentName)) {
      supervisor.tell(new SupervisorProtocol.Busy(agentName, inFlight));
    }
  }

  /** Activations asked through this system's gateway that the pool rejected or that failed, since start. */
  public long rejectedActivations() {
    return SOURCES.stream().mapToLong(s -> (long) rejected.labelValues(label(s)).get()).sum();
  }

  private static String label(ActivationSource source) {
    return source.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public void finished(String agentName) {
    busy(agentName, false);
  }

  /** The agent front's link to the supervisor: this gateway, with activation source {@code GATEWAY}. */
  public AgentLink agentLink() {
    return new AgentLink() {
      @Override
      public CompletionStage<ActivationResult> activate(String agent, java.time.Instant deadline) {
        return SupervisorGateway.this.activate(agent, ActivationSource.GATEWAY, "request through the agent front", deadline);
      }

      @Override
      public void busy(String agent, boolean inFlight) {
        SupervisorGateway.this.busy(agent, inFlight);
      }
    };
  }
}
