package ai.sutazai.supervisor;

/** Where an agent is in its lifecycle. */
public enum AgentPhase {
  /** Registered, not running, not wanted. */
  INACTIVE,
  /** Asked to run; its container is being created or started. */
  ACTIVATING,
  /** Container running; the startup probe has not passed yet. */
  STARTING,
  HEALTHY,
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
    return this == ACTIVATING || this == STARTING || this == HEALTHY || this == UNHEALTHY || this == RESTARTING
        || this == DEGRADED || this == STOPPING;
  }

  /** Still moving: `run --mode once` waits until no agent is in such a phase. */
  public boolean transitional() {
    return this == ACTIVATING || this == STARTING || this == UNHEALTHY || this == RESTARTING || this == STOPPING;
  }
}
