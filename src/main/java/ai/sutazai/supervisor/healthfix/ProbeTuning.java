package ai.sutazai.supervisor.healthfix;

import java.time.Duration;
import java.util.Optional;

/**
 * The probe settings health-fix proposes from what was observed, for a Docker HEALTHCHECK (the planner's
 * recreate) and for a fleet spec's {@code health} block alike (proposed to the operator when a daemon owns
 * the agent): a timeout that probes hit is doubled, or widened to the longest probe × headroom; a start
 * period shorter than the observed startup × headroom is widened to it; with nothing usable, both doubled.
 * Values are rounded up to whole seconds. Pure.
 *
 * @param startPeriod the proposed start period
 * @param timeout the proposed probe timeout
 * @param why what was observed, in words, starting with "; " (empty when nothing was)
 */
record ProbeTuning(Duration startPeriod, Duration timeout, String why) {

  /**
   * @param interval current interval
   * @param timeout current timeout
   * @param startPeriod current start period
   * @param timeoutsHit probes that hit (or came within 5 % of) the timeout
   * @param longest the longest probe observed (for a probe that hit the timeout: the timeout it hit)
   * @param startup how long the agent took from start to healthy, at least, when observed
   * @param startupWords how that startup was observed, e.g. "became healthy" (followed by " 12s after start")
   */
  static ProbeTuning of(Duration interval, Duration timeout, Duration startPeriod, long timeoutsHit, Duration longest,
      Optional<Duration> startup, String startupWords, FixPolicy policy) {
    Duration newTimeout = timeout;
    StringBuilder why = new StringBuilder();
    if (timeoutsHit > 0) {
      newTimeout = max(scale(timeout, 2), scale(longest, policy.headroomFactor()));
      why.append("; ").append(timeoutsHit).append(" probe(s) hit the ").append(HealthFixPlanner.seconds(timeout)).append(" timeout");
    } else if (scale(longest, policy.headroomFactor()).compareTo(timeout) > 0) {
      newTimeout = scale(longest, policy.headroomFactor());
      why.append("; longest probe took ").append(HealthFixPlanner.seconds(longest));
    }
    Duration newStartPeriod = startPeriod;
    if (startup.isPresent() && scale(startup.get(), policy.headroomFactor()).compareTo(startPeriod) > 0) {
      newStartPeriod = scale(startup.get(), policy.headroomFactor());
      why.append("; ").append(startupWords).append(" ").append(HealthFixPlanner.seconds(startup.get())).append(" after start");
    }
    if (newStartPeriod.equals(startPeriod) && newTimeout.equals(timeout)) {
      newStartPeriod = startPeriod.isZero() ? scale(max(interval, timeout), 2) : scale(startPeriod, 2);
      newTimeout = scale(timeout, 2);
      why.append("; no usable timings observed, doubling");
    }
    return new ProbeTuning(roundUpSeconds(newStartPeriod), roundUpSeconds(newTimeout), why.toString());
  }

  static Duration scale(Duration d, double factor) {
    return Duration.ofNanos((long) Math.ceil(d.toNanos() * factor));
  }

  static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static Duration roundUpSeconds(Duration d) {
    if (d.isZero()) {
      return d;
    }
    long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    return Duration.ofSeconds(Math.max(1, s));
  }
}
