package ai.sutazai.supervisor.healthfix;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One proposed action of the health-fix plan.
 *
 * @param target container id (or volume name, network id for the prune kinds)
 * @param name container, volume or network name
 * @param reason what was observed, in words, for the operator
 * @param newMemoryLimitBytes RAISE_MEMORY: the new limit, bytes (else 0)
 * @param newStartPeriodMillis RECREATE_WITH_HEALTHCHECK: the new health-check start period (else 0)
 * @param newTimeoutMillis RECREATE_WITH_HEALTHCHECK: the new health-check timeout (else 0)
 * @param specChanges PROPOSE_SPEC_CHANGE: the fleet-spec keys to change and their values (else empty)
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
    long newTimeoutMillis,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<SpecChange> specChanges) {

  public Fix {
    specChanges = specChanges == null ? List.of() : List.copyOf(specChanges);
  }

  /** A fix that changes no fleet-spec key. */
  public Fix(String target, String name, String fleet, String agent, Kind kind, String reason, long newMemoryLimitBytes,
      long newStartPeriodMillis, long newTimeoutMillis) {
    this(target, name, fleet, agent, kind, reason, newMemoryLimitBytes, newStartPeriodMillis, newTimeoutMillis, List.of());
  }

  /**
   * One key of the fleet spec to change, for the operator to put in the file.
   *
   * @param key the full key, e.g. {@code agents.coder.health.timeout}
   * @param from its current value ("?" when the fleet spec was not read)
   * @param to the proposed value, as HOCON (e.g. {@code 10s}, {@code 96MiB})
   */
  public record SpecChange(String key, String from, String to) {
    @Override
    public String toString() {
      return key + " = " + to;
    }
  }

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
    REMOVE_NETWORK,
    /** A running daemon owns the agent: ask it to clear the crash loop ({@code POST /api/v1/agents/{name}/reset}). */
    RESET_VIA_DAEMON,
    /**
     * A running daemon owns the agent: changes to its fleet spec ({@link #specChanges}) for the operator to make; the
     * container is left to the daemon (its probes are the spec's {@code health}, not a Docker HEALTHCHECK).
     */
    PROPOSE_SPEC_CHANGE
  }

  static Fix of(Observation o, Kind kind, String reason) {
    return new Fix(o.containerId(), o.name(), o.fleet(), o.agent(), kind, reason, 0, 0, 0);
  }
}
