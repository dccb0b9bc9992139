package ai.sutazai.supervisor.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.fleet.HealthSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The readiness probe's verdicts: healthy at the first pass, not ready after {@code retries} failures, ready again. */
class ReadinessTest {
  private static final Prober.Outcome PASS = new Prober.Outcome(true, false, 3, 1000, "ok");
  private static final Prober.Outcome FAIL = new Prober.Outcome(false, false, 4, 1000, "exit status 1");
  private static final Prober.Outcome UNSURE = new Prober.Outcome(false, true, 0, 1000, "engine unreachable");

  private final Readiness r = new Readiness(new HealthSpec(HealthSpec.Kind.CMD, 0, "/", List.of("true"),
      Duration.ofSeconds(1), Duration.ofSeconds(1), 2, Duration.ZERO));

  @Test
  void failuresBeforeTheFirstPassOnlyKeepItStarting() {
    assertNull(r.observe(FAIL));
    assertNull(r.observe(FAIL));
    assertNull(r.observe(FAIL));
    assertEquals(new ContainerActor.Healthy(3), r.observe(PASS));
    assertNull(r.observe(PASS));
  }

  @Test
  void notReadyAfterRetriesConsecutiveFailuresThenReadyAtTheNextPass() {
    r.observe(PASS);
    assertNull(r.observe(FAIL));
    assertNull(r.observe(PASS), "a pass in between resets the count");
    assertNull(r.observe(FAIL));
    assertNull(r.observe(UNSURE), "an inconclusive probe counts for nothing");
    ContainerActor.Report down = r.observe(FAIL);
    assertInstanceOf(ContainerActor.NotReady.class, down);
    assertTrue(((ContainerActor.NotReady) down).reason().contains("exit status 1 (2 consecutive failures)"), down.toString());
    assertNull(r.observe(FAIL), "reported once");
    assertEquals(new ContainerActor.Ready(), r.observe(PASS));
    assertNull(r.observe(PASS));
  }
}
