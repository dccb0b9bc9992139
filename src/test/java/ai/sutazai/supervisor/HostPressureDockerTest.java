package ai.sutazai.supervisor;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.common.Settings;
import ai.sutazai.supervisor.container.HostPressure;
import ai.sutazai.supervisor.protocol.AgentEvent;
import ai.sutazai.supervisor.protocol.AgentEventPublished;
import ai.sutazai.supervisor.settings.SupervisorSettings;
import ai.sutazai.testsupport.DockerTestSupport;
import com.github.dockerjava.api.model.HostConfig;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;

/**
 * Host pressure from real OSHI readings: a CPU hog beside the agents (a busybox container spinning
 * {@value #HOG_LOOPS} shell loops) raises the 1-minute load per core over the threshold, the supervisor's
 * prober then widens the timeout of a probe slower than its own, and the agent is not restarted. The same
 * probe with thresholds the host cannot reach fails: the widening is what keeps the agent.
 */
class HostPressureDockerTest {
  @RegisterExtension static final DockerTestSupport docker = new DockerTestSupport();

  private static final Duration LONG = Duration.ofSeconds(90);
  /** Spinning loops of the hog: load average counts runnable tasks, so once it has climbed it is at least this. */
  private static final int HOG_LOOPS = 16;
  /** Probes that must pass, widened, under pressure before the agent counts as kept. */
  private static final int PROBES = 6;

  /**
   * The probe runs {@code sleep 1} in the agent's container against a 500 ms timeout: slow, and slower than its
   * timeout on any host; the widened timeout (x 8 = 4 s) leaves room for the exec on a loaded machine.
   */
  private static final String BODY = "  agents {\n    slow {\n      image = \"" + DockerTestSupport.IMAGE + "\"\n"
      + "      command = [\"sleep\", \"600\"]\n      memory = 16MiB\n      cpus = 0.1\n"
      + "      health { kind = cmd, command = [\"sleep\", \"1\"], interval = 300ms, timeout = 500ms, retries = 1, start-period = 0s }\n"
      + "    }\n  }";

  /** The real OSHI pressure, recording the timeout factor of every probe that asked. */
  private static final class Recorded implements HostPressure {
    final HostPressure real;
    final List<Double> factors = new CopyOnWriteArrayList<>();

    Recorded(HostPressure real) {
      this.real = real;
    }

    @Override
    public boolean underPressure() {
      return real.underPressure();
    }

    @Override
    public double probeTimeoutFactor() {
      double f = real.probeTimeoutFactor();
      factors.add(f);
      return f;
    }

    long widened() {
      return factors.stream().filter(f -> f > 1).count();
    }
  }

  private static Map<String, String> pressure(String loadPerCore, String memory) {
    return Map.of("sutazai.supervisor.pressure.load-per-core", loadPerCore,
        "sutazai.supervisor.pressure.memory-utilisation", memory,
        "sutazai.supervisor.pressure.probe-timeout-factor", "8",
        "sutazai.supervisor.pressure.sample-interval", "500ms",
        "sutazai.supervisor.stop-timeout", "1s");
  }

  private static SupervisorSettings settings(Map<String, String> overrides) {
    return SupervisorSettings.fromConfig(Settings.load(null, ConfigFactory.parseMap(overrides)));
  }

  @Test
  void aCpuHogRaisesThePressureFlagFromRealReadingsAndASlowProbeThenSurvives() throws Exception {
    CentralProcessor cpu = new SystemInfo().getHardware().getProcessor();
    int cores = cpu.getLogicalProcessorCount();
    double before = Math.max(0, cpu.getSystemLoadAverage(1)[0]) / cores;
    // The threshold for this machine: today's load per core plus a quarter of what the hog adds once the
    // 1-minute average has caught up with it (about 17 s after it starts), so the hog, not the machine's own
    // load, raises the flag. Memory is left out of it (a threshold no host reaches).
    double threshold = before + HOG_LOOPS / 4.0 / cores;
    Map<String, String> underHog = pressure(String.valueOf(threshold), "1.01");
    HostPressure flag = HostPressure.oshi(settings(underHog));

    // The hog: spinning loops at the lowest CPU weight and niceness, so it barely slows the machine's other
    // work yet counts fully in the load average.
    String hog = docker.client().createContainerCmd(DockerTestSupport.IMAGE)
        .withName("t-hog-" + System.nanoTime())
        .withCmd("sh", "-c", "renice -n 19 $$ >/dev/null; for i in $(seq " + HOG_LOOPS + "); do (while :; do :; done) & done; wait")
        .withLabels(Map.of("owner", "someone-else"))
        .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none").withCpuShares(2))
        .exec().getId();
    try {
      docker.client().startContainerCmd(hog).exec();
      await().atMost(LONG).pollInterval(Duration.ofMillis(500)).until(flag::underPressure);

      Recorded pressure = new Recorded(HostPressure.oshi(settings(underHog)));
      try (SupervisorHarness h = new SupervisorHarness(docker, SupervisorHarness.tempDir("pressure"), BODY, pressure, underHog)) {
        h.await("slow", AgentEvent.BecameHealthy.class, LONG);
        long widenedAtHealthy = pressure.widened();
        // Several more probes, each slower than the probe's own timeout, widened by the real flag.
        await().atMost(LONG).until(() -> pressure.widened() >= widenedAtHealthy + PROBES);
        List<AgentEvent> failures = h.seen.stream().filter(p -> p.agent().equals("slow")).map(AgentEventPublished::event)
            .filter(e -> e instanceof AgentEvent.BecameUnhealthy || e instanceof AgentEvent.RestartScheduled).toList();
        assertEquals(List.of(), failures, "the slow agent was failed under pressure");
        assertEquals(0, h.status("slow").totalRestarts());
        assertTrue(pressure.factors.stream().allMatch(f -> f == 8.0), "a probe ran unwidened: " + pressure.factors);
        assertTrue(flag.underPressure(), "the hog's pressure went away during the test");
      }

      // The same slowness, the same hog, thresholds out of the host's reach: the probe times out and counts.
      Map<String, String> never = pressure("1000", "1.01");
      try (SupervisorHarness h = new SupervisorHarness(docker, SupervisorHarness.tempDir("pressure"), BODY,
          HostPressure.oshi(settings(never)), never)) {
        AgentEvent.BecameUnhealthy u = h.await("slow", AgentEvent.BecameUnhealthy.class, LONG);
        assertTrue(u.reason().contains("timed out after 500 ms"), u.reason());
        h.await("slow", AgentEvent.RestartScheduled.class, LONG);
      }
    } finally {
      docker.client().removeContainerCmd(hog).withForce(true).exec();
    }
  }
}
