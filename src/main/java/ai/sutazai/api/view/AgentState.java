package ai.sutazai.api.view;

/** Lifecycle state of an agent as the management API reports it. */
public enum AgentState {
  /** Not running and not asked for. */
  INACTIVE,
  /** Waiting in its pool's activation queue for quota. */
  QUEUED,
  /** Admitted; container being created/started or its startup probe has not passed yet. */
  STARTING,
  /** Running and passing its probes. */
  HEALTHY,
  /** Running but failing its liveness/readiness probes. */
  UNHEALTHY,
  /** Being stopped (deactivation or preemption). */
  STOPPING,
  /** Restarted too often within the crash-loop window; parked until an operator resets it. */
  CRASH_LOOP,
  /** Could not be started at all (for example the image is missing). */
  FAILED
}
