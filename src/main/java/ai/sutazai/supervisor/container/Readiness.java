package ai.sutazai.supervisor.container;

import ai.sutazai.fleet.HealthSpec;

/**
 * The readiness probe's verdicts for one running container, from its outcomes in turn: the first pass makes
 * the container {@link ContainerActor.Healthy} (an agent with a readiness probe is healthy only once it is
 * ready); after that, {@code retries} consecutive failures make it {@link ContainerActor.NotReady} and the
 * next pass {@link ContainerActor.Ready} again. Failures before the first pass only keep it starting (its
 * liveness probe decides about restarts), and inconclusive outcomes count for nothing. Confined to the
 * container's actor.
 */
final class Readiness {
  private final HealthSpec probe;
  private boolean everReady;
  private boolean ready;
  private int failures;

  Readiness(HealthSpec probe) {
    this.probe = probe;
  }

  HealthSpec probe() {
    return probe;
  }

  /** What to report for this outcome, or null for nothing. */
  ContainerActor.Report observe(Prober.Outcome o) {
    if (o.healthy()) {
      failures = 0;
      if (!everReady) {
        everReady = true;
        ready = true;
        return new ContainerActor.Healthy(o.durationMillis());
      }
      if (!ready) {
        ready = true;
        return new ContainerActor.Ready();
      }
      return null;
    }
    if (o.inconclusive() || !everReady) {
      return null;
    }
    failures++;
    if (ready && failures >= probe.retries()) {
      ready = false;
      return new ContainerActor.NotReady(o.detail() + " (" + failures + " consecutive failures)");
    }
    return null;
  }
}
