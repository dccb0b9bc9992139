package ai.sutazai.supervisor.agent;

import ai.sutazai.supervisor.container.ContainerActor;
import ai.sutazai.supervisor.protocol.AgentEvent;
import ai.sutazai.supervisor.protocol.AgentPhase;
import ai.sutazai.supervisor.settings.SupervisorSettings;

import ai.sutazai.fleet.AgentSpec;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * What an {@link AgentEntity} decides when its container reports: journal that the container was created,
 * started, became healthy or stopped; restart it with backoff when it died, failed or turned unhealthy;
 * park the agent when it restarted too often within the crash-loop window; stop a container nobody wants.
 * Used only from the entity's actor thread, which journals the events and then runs the decision's action.
 */
public final class ContainerReports {

  /**
   * Events to journal (possibly none) and what to do with the state after them; the entity tells its pool
   * the agent's status after the write, as after any. {@link #NONE}: no write, nothing told.
   */
  record Decision(List<AgentEvent> events, Consumer<AgentState> then) {
    static final Decision NONE = new Decision(null, null);

    static Decision journal(List<AgentEvent> events, Consumer<AgentState> then) {
      return new Decision(events, then);
    }

    boolean journals() {
      return events != null;
    }
  }

  private final ActorRef<ContainerActor.Command> container;
  private final TimerScheduler<AgentEntity.Command> timers;
  private final SupervisorSettings settings;

  ContainerReports(ActorRef<ContainerActor.Command> container, TimerScheduler<AgentEntity.Command> timers,
      SupervisorSettings settings) {
    this.container = container;
    this.timers = timers;
    this.settings = settings;
  }

  /** The decision on report {@code r} from the container, in state {@code s}, at {@code now}. */
  Decision decide(AgentState s, ContainerActor.Report r, Instant now) {
    if (r instanceof ContainerActor.Running m) {
      if (!s.desiredActive() || s.phase() == AgentPhase.CRASH_LOOP) {
        container.tell(new ContainerActor.Stop(m.containerId()));
        return Decision.NONE;
      }
      List<AgentEvent> events = new ArrayList<>();
      if (m.created() || !m.containerId().equals(s.containerId())) {
        events.add(new AgentEvent.ContainerCreated(m.containerId(), now));
      }
      if (!m.adopted() || s.phase() == AgentPhase.ACTIVATING || s.phase() == AgentPhase.RESTARTING) {
        events.add(new AgentEvent.ContainerStarted(m.containerId(), m.startedAt()));
      }
      return Decision.journal(events, after -> { });
    } else if (r instanceof ContainerActor.Healthy) {
      boolean awaited = s.phase() == AgentPhase.ACTIVATING || s.phase() == AgentPhase.STARTING || s.phase() == AgentPhase.UNHEALTHY;
      if (!s.desiredActive() || !awaited) {
        return Decision.NONE;
      }
      long coldStart = s.activationRequestedAt() != null ? Duration.between(s.activationRequestedAt(), now).toMillis() : -1;
      return Decision.journal(List.of(new AgentEvent.BecameHealthy(coldStart, now)), after -> { });
    } else if (r instanceof ContainerActor.NotReady m) {
      if (!s.desiredActive() || s.phase() != AgentPhase.HEALTHY) {
        return Decision.NONE;
      }
      return Decision.journal(List.of(new AgentEvent.BecameNotReady(m.reason(), now)), after -> { });
    } else if (r instanceof ContainerActor.Ready) {
      if (!s.desiredActive() || s.phase() != AgentPhase.NOT_READY) {
        return Decision.NONE;
      }
      return Decision.journal(List.of(new AgentEvent.BecameReady(now)), after -> { });
    } else if (r instanceof ContainerActor.Unhealthy m) {
      if (!s.desiredActive() || s.phase() == AgentPhase.DEGRADED) {
        return Decision.NONE;
      }
      List<AgentEvent> events = new ArrayList<>();
      events.add(new AgentEvent.BecameUnhealthy(m.reason(), now));
      return restart(s, events, m.reason(), now);
    } else if (r instanceof ContainerActor.Died m) {
      if (!s.desiredActive()) {
        return s.phase() == AgentPhase.STOPPING
            ? Decision.journal(List.of(new AgentEvent.ContainerStopped(now)), after -> { })
            : Decision.NONE;
      }
      if (s.phase() == AgentPhase.DEGRADED || s.phase() == AgentPhase.CRASH_LOOP) {
        return Decision.NONE;
      }
      return restart(s, new ArrayList<>(), m.reason(), now);
    } else if (r instanceof ContainerActor.Failed m) {
      if (!s.desiredActive()) {
        return s.phase() == AgentPhase.STOPPING
            ? Decision.journal(List.of(new AgentEvent.ContainerStopped(now)), after -> { })
            : Decision.NONE;
      }
      if (m.engineDown()) {
        // Nothing to decide while the engine is away: the fleet supervisor resynchronises on reconnect.
        timers.startSingleTimer(new AgentEntity.RestartDue(Math.max(0, s.restartAttempt() - 1)), settings.reconnectMaxBackoff());
        return Decision.NONE;
      }
      return restart(s, new ArrayList<>(), m.reason(), now);
    } else if (r instanceof ContainerActor.Stopped) {
      if (s.phase() == AgentPhase.STOPPING || (!s.desiredActive() && s.phase() != AgentPhase.INACTIVE && s.phase() != AgentPhase.REMOVED)) {
        return Decision.journal(List.of(new AgentEvent.ContainerStopped(now)), after -> { });
      }
      return Decision.NONE;
    }
    return Decision.NONE;
  }

  /** Schedules a restart with backoff, or parks the agent when it restarted too often within the window. */
  private Decision restart(AgentState s, List<AgentEvent> events, String reason, Instant now) {
    AgentSpec spec = s.spec();
    SupervisorSettings.Backoff backoff = settings.backoffFor(spec);
    int attempt = s.restartAttempt();
    if (s.healthySince() != null && !now.isBefore(s.healthySince().plus(backoff.resetAfter()))) {
      attempt = 0;
    }
    Duration window = settings.crashLoopWindowFor(spec);
    int recent = s.restartsWithin(window, now);
    if (recent >= settings.crashLoopMaxRestartsFor(spec)) {
      events.add(new AgentEvent.CrashLoopDetected(recent, window.toMillis(), reason, now));
      return Decision.journal(events, after -> container.tell(new ContainerActor.Stop(after.containerId())));
    }
    Duration delay = BackoffPolicy.delay(backoff, attempt, ThreadLocalRandom.current()::nextDouble);
    int scheduled = attempt;
    events.add(new AgentEvent.RestartScheduled(scheduled, delay.toMillis(), reason, now));
    return Decision.journal(events, after -> timers.startSingleTimer(new AgentEntity.RestartDue(scheduled), delay));
  }
}
