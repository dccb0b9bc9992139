package ai.sutazai.supervisor.healthfix;

/**
 * One proposed action of the health-fix plan.
 *
 * @param target container id (or volume name, network id for the prune kinds)
 * @param name container, volume or network name
 * @param reason what was observed, in words, for the operator
 * @param newMemoryLimitBytes RAISE_MEMORY: the new limit, bytes (else 0)
 * @param newStartPeriodMillis RECREATE_WITH_HEALTHCHECK: the new health-check start period (else 0)
 * @param newTimeoutMillis RECREATE_WITH_HEALTHCHECK: the new health-check timeout (else 0)
 */
public record Fix(
    String target,
    String name,
    String fleet,
    String agent,
    Kind kind,
    String reason,
    long newMemoryLimitBytes,
    long newStartPeriodMillis,
    long newTimeoutMillis) {

  /** What the fix does. */
  public enum Kind {
    /** Start the container again (stop first if it is in a bad running state). */
    RESTART,
    /** Replace the container by an identical one whose health check has a longer start period and timeout. */
    RECREATE_WITH_HEALTHCHECK,
    /** Raise the memory limit in place, then start the container again. */
    RAISE_MEMORY,
    /** --prune: remove a stopped labelled container. */
    REMOVE_CONTAINER,
    /** --prune: remove an unused labelled volume. */
    REMOVE_VOLUME,
    /** --prune: remove an unused labelled network. */
    REMOVE_NETWORK
  }

  static Fix of(Observation o, Kind kind, String reason) {
    return new Fix(o.containerId(), o.name(), o.fleet(), o.agent(), kind, reason, 0, 0, 0);
  }
}
