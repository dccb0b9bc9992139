package ai.sutazai.supervisor.protocol;

import ai.sutazai.common.CborSerializable;
import ai.sutazai.fleet.AgentSpec;
import java.time.Instant;

/** The journalled lifecycle of one agent. Every event carries the time it happened. */
public sealed interface AgentEvent extends CborSerializable {
  Instant at();

  /** A short human-readable account, for logs, the API and the dashboard. */
  String describe();

  /** The agent was registered, or its spec changed. */
  record Registered(AgentSpec spec, Instant at) implements AgentEvent {
    public String describe() {
      return "registered (image " + spec.image() + ")";
    }
  }

  record ActivationRequested(String reason, Instant at) implements AgentEvent {
    public String describe() {
      return "activation requested: " + reason;
    }
  }

  record ContainerCreated(String containerId, Instant at) implements AgentEvent {
    public String describe() {
      return "container created " + shortId(containerId);
    }
  }

  record ContainerStarted(String containerId, Instant at) implements AgentEvent {
    public String describe() {
      return "container started " + shortId(containerId);
    }
  }

  /** Startup (or liveness) probe passed; {@code coldStartMillis} from activation request, -1 if unknown. */
  record BecameHealthy(long coldStartMillis, Instant at) implements AgentEvent {
    public String describe() {
      return coldStartMillis >= 0 ? "healthy (cold start " + coldStartMillis + " ms)" : "healthy";
    }
  }

  /** Alive, but its readiness probe failed past its retries: its dependents count it as down. */
  record BecameNotReady(String reason, Instant at) implements AgentEvent {
    public String describe() {
      return "not ready: " + reason;
    }
  }

  /** Its readiness probe passes again. */
  record BecameReady(Instant at) implements AgentEvent {
    public String describe() {
      return "ready again";
    }
  }

  record BecameUnhealthy(String reason, Instant at) implements AgentEvent {
    public String describe() {
      return "unhealthy: " + reason;
    }
  }

  /** Restart number {@code attempt} (0 = first since the last reset) will run after {@code delayMillis}. */
  record RestartScheduled(int attempt, long delayMillis, String reason, Instant at) implements AgentEvent {
    public String describe() {
      return "restart #" + (attempt + 1) + " in " + delayMillis + " ms: " + reason;
    }
  }

  record CrashLoopDetected(int restarts, long windowMillis, String reason, Instant at) implements AgentEvent {
    public String describe() {
      return "crash loop: " + restarts + " restarts within " + windowMillis / 1000 + " s, parked until reset; last: " + reason;
    }
  }

  /** A dependency failed; the agent is neither restarted nor killed until it recovers. */
  record Degraded(String dependency, Instant at) implements AgentEvent {
    public String describe() {
      return "degraded: dependency " + dependency + " is down";
    }
  }

  record DependencyRecovered(String dependency, Instant at) implements AgentEvent {
    public String describe() {
      return "dependency " + dependency + " recovered";
    }
  }

  record Deactivated(String reason, Instant at) implements AgentEvent {
    public String describe() {
      return "deactivated: " + reason;
    }
  }

  record ContainerStopped(Instant at) implements AgentEvent {
    public String describe() {
      return "container stopped";
    }
  }

  /** An operator cleared the crash loop and the backoff. */
  record ResetByOperator(Instant at) implements AgentEvent {
    public String describe() {
      return "reset by operator";
    }
  }

  /**
   * Right-sizing changed the running container's limits in place (docker update), journalled before it is
   * applied; the agent's spec (and so the next container) keeps its own limits.
   *
   * @param memoryLimitBytes new memory limit, bytes
   * @param cpus new CPU limit, cores
   */
  record LimitsAdjusted(String containerId, long memoryLimitBytes, double cpus, String reason, Instant at) implements AgentEvent {
    public String describe() {
      return reason;
    }
  }

  record Removed(String reason, Instant at) implements AgentEvent {
    public String describe() {
      return "removed: " + reason;
    }
  }

  private static String shortId(String id) {
    return id == null ? "?" : id.substring(0, Math.min(12, id.length()));
  }
}
