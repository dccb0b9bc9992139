package ai.sutazai.supervisor;

import ai.sutazai.supervisor.container.HostPressure;
import ai.sutazai.supervisor.protocol.AgentEvent;
import ai.sutazai.supervisor.protocol.AgentPhase;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.testsupport.DockerTestSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The readiness probe against the real Docker engine: an agent that is alive but not ready holds back its
 * dependents (not started at first, degraded later) and is never restarted for it.
 */
class ReadinessDockerTest {
  @RegisterExtension static final DockerTestSupport docker = new DockerTestSupport();

  private static final Duration LONG = Duration.ofSeconds(60);

  @Test
  void anAgentThatIsAliveButNotReadyHoldsBackItsDependentsAndIsNotRestarted() throws Exception {
    int dbPort = DockerTestSupport.freePort();
    int appPort = DockerTestSupport.freePort();
    // db is alive as soon as httpd answers, and ready only while /tmp/ready exists.
    String db = "    db {\n      image = \"" + DockerTestSupport.IMAGE + "\"\n"
        + "      command = [\"httpd\", \"-f\", \"-p\", \"127.0.0.1:" + dbPort + "\", \"-h\", \"/www\"]\n"
        + "      memory = 32MiB\n      cpus = 0.1\n"
        + "      health { kind = http, port = " + dbPort + ", path = \"/health\", interval = 300ms, timeout = 1s, retries = 2,"
        + " start-period = 5s\n"
        + "        readiness { kind = cmd, command = [\"test\", \"-f\", \"/tmp/ready\"], interval = 300ms, timeout = 2s, retries = 2 } }\n"
        + "    }\n";
    String body = "  agents {\n" + db + SupervisorHarness.httpAgent("app", appPort, "      depends-on = [\"db\"]") + "  }";
    try (SupervisorHarness h = new SupervisorHarness(docker, SupervisorHarness.tempDir("ready"), body,
        HostPressure.fixed(false, 1), Map.of())) {
      String dbContainer = h.await("db", AgentEvent.ContainerStarted.class, LONG).containerId();
      // Alive (httpd answers within a second) but not ready: db stays starting and app is not started.
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
          h.status("db").phase() == AgentPhase.STARTING
              && h.seen.stream().noneMatch(p -> p.agent().equals("app") && p.event() instanceof AgentEvent.ActivationRequested));

      Instant readyAt = Instant.now();
      exec(dbContainer, "touch", "/tmp/ready");
      h.await("db", AgentEvent.BecameHealthy.class, LONG);
      AgentEvent.ActivationRequested appAsked = h.await("app", AgentEvent.ActivationRequested.class, LONG);
      assertTrue(appAsked.at().isAfter(readyAt), "app was activated before db was ready");
      h.await("app", AgentEvent.BecameHealthy.class, LONG);
      String appContainer = h.healthyStatus("app", LONG).containerId();

      // Not ready again: db keeps its container, app is degraded (neither restarted nor killed).
      exec(dbContainer, "rm", "/tmp/ready");
      AgentEvent.BecameNotReady notReady = h.await("db", AgentEvent.BecameNotReady.class, LONG);
      assertTrue(notReady.reason().contains("2 consecutive failures"), notReady.reason());
      h.await("app", AgentEvent.Degraded.class, LONG);
      assertEquals(AgentPhase.NOT_READY, h.status("db").phase());

      exec(dbContainer, "touch", "/tmp/ready");
      h.await("db", AgentEvent.BecameReady.class, LONG);
      h.await("app", AgentEvent.DependencyRecovered.class, LONG);
      await().atMost(LONG).until(() -> h.status("app").phase() == AgentPhase.HEALTHY
          && h.status("db").phase() == AgentPhase.HEALTHY);
      assertEquals(dbContainer, h.status("db").containerId(), "db was never replaced");
      assertEquals(appContainer, h.status("app").containerId(), "app was never replaced");
      assertEquals(0, h.status("db").totalRestarts());
      assertEquals(0, h.status("app").totalRestarts());
      assertTrue(h.seen.stream().noneMatch(p -> p.event() instanceof AgentEvent.RestartScheduled
          || p.event() instanceof AgentEvent.BecameUnhealthy), "nothing was restarted or unhealthy");
    }
  }

  @Test
  void aStartingAgentIsProbedAgainSoonNotAfterAWholeInterval() throws Exception {
    int port = DockerTestSupport.freePort();
    // Ready 2 s after start; probed each hour once live. The first probe (500 ms after start) fails: inside the
    // start-period the next one follows after probe-start-interval, so the agent is healthy seconds after
    // it is ready instead of an hour later.
    String slow = SupervisorHarness.lateHttpAgent("slow", port, 2, "interval = 1h, timeout = 1s, retries = 2, start-period = 10m");
    try (SupervisorHarness h = new SupervisorHarness(docker, SupervisorHarness.tempDir("start-probe"), "  agents {\n" + slow
        + "  }", HostPressure.fixed(false, 1), Map.of("sutazai.supervisor.probe-start-interval", "500ms"))) {
      AgentEvent.ContainerStarted started = h.await("slow", AgentEvent.ContainerStarted.class, LONG);
      AgentEvent.BecameHealthy healthy = h.await("slow", AgentEvent.BecameHealthy.class, LONG);
      assertTrue(Duration.between(started.at(), healthy.at()).compareTo(Duration.ofSeconds(2)) >= 0,
          "healthy before httpd could answer: " + started.at() + " -> " + healthy.at());
    }
  }

  private static void exec(String container, String... command) {
    var r = docker.runtime().exec(container, List.of(command), Duration.ofSeconds(10));
    assertEquals(0, r.exitCode(), () -> String.join(" ", command) + ": " + r);
  }
}
