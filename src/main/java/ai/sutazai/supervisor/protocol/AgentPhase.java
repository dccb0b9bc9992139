package ai.sutazai.supervisor.protocol;

/** Where an agent is in its lifecycle. */
public enum AgentPhase {
  /** Registered, not running, not wanted. */
  INACTIVE,
  /** Asked to run; its container is being created or started. */
  ACTIVATING,
  /** Container running; the startup probe has not passed yet. */
  STARTING,
  /** Alive and ready (passes its liveness probe and, if it has one, its readiness probe). */
  HEALTHY,
  /**
   * Alive (liveness passes, so it is not restarted) but its readiness probe fails past its retries: its
   * dependents count it as down until it is ready again.
   */
  NOT_READY,
  /** Liveness failed past its retries; a restart follows. */
  UNHEALTHY,
  /** Waiting out the restart backoff (or the pool's restart budget). */
  RESTARTING,
  /** Too many restarts within the window: parked until an operator resets it. */
  CRASH_LOOP,
  /** A dependency is down: neither restarted nor killed until it recovers. */
  DEGRADED,
  STOPPING,
  REMOVED;

  /** Counts as running for quota and dependency purposes. */
  public boolean occupiesResources() {
    return this == ACTIVATING || this == STARTING || this == HEALTHY || this == NOT_READY || this == UNHEALTHY
        || this == RESTARTING || this == DEGRADED || this == STOPPING;
  }

  /** Still moving: `run --mode once` waits until no agent is in such a phase. */
  public boolean transitional() {
    return this == ACTIVATING || this == STARTING || this == UNHEALTHY || this == RESTARTING || this == STOPPING;
  }
}
