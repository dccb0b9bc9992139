package ai.sutazai.supervisor.healthfix;

import ai.sutazai.common.CborSerializable;
import java.time.Instant;

/**
 * One fix that {@code sutazai health-fix --apply} applied (or tried to), as journalled under the
 * persistence id {@code HealthFix|<fleet>}.
 *
 * @param kind the {@link Fix.Kind} name
 * @param ok whether it was applied
 * @param outcome what happened, in words (the error when not ok)
 * @param containerIdAfter the container afterwards (a new id after a recreate; null for volumes, networks, removals)
 * @param newMemoryLimitBytes RAISE_MEMORY: the new limit, bytes (else 0)
 * @param newStartPeriodMillis RECREATE_WITH_HEALTHCHECK: the new start period (else 0)
 * @param newTimeoutMillis RECREATE_WITH_HEALTHCHECK: the new probe timeout (else 0)
 */
public record HealthFixEvent(String fleet, String target, String name, String agent, String kind, String reason, boolean ok,
    String outcome, String containerIdAfter, long newMemoryLimitBytes, long newStartPeriodMillis, long newTimeoutMillis,
    Instant at) implements CborSerializable {

  /** The event of one applied fix; fixes without a fleet label are journalled under fleet "-". */
  public static HealthFixEvent of(AppliedFix a) {
    Fix f = a.fix();
    return new HealthFixEvent(fleetOf(f), f.target(), f.name(), f.agent(), f.kind().name(), f.reason(), a.ok(), a.outcome(),
        a.containerIdAfter(), f.newMemoryLimitBytes(), f.newStartPeriodMillis(), f.newTimeoutMillis(), a.at());
  }

  static String fleetOf(Fix f) {
    return f.fleet() == null || f.fleet().isBlank() ? "-" : f.fleet();
  }
}
