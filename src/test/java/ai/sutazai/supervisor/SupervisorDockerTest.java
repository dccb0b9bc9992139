package ai.sutazai.supervisor;

import ai.sutazai.supervisor.agent.AgentState;
import ai.sutazai.supervisor.agent.ContainerReports;
import ai.sutazai.supervisor.container.HostPressure;
import ai.sutazai.supervisor.protocol.AgentEvent;
import ai.sutazai.supervisor.protocol.AgentEventPublished;
import ai.sutazai.supervisor.protocol.AgentPhase;
import ai.sutazai.supervisor.protocol.AgentStatus;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.testsupport.DockerTestSupport;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The supervisor against the real Docker engine, with the H2 journal. */
public class SupervisorDockerTest {
  @RegisterExtension static final DockerTestSupport docker = new DockerTestSupport();

  private static final Duration LONG = Duration.ofSeconds(60);
  /**
   * busybox httpd, nc and sleep run as PID 1 and ignore SIGTERM, so every docker stop of a restart would wait
   * out the 10 s default stop-timeout before the kill; tests that restart such containers shorten it.
   */
  private static final Map<String, String> QUICK_STOP = Map.of("sutazai.supervisor.stop-timeout", "1s");

  @Test
  void startsInDependencyOrderAndADependencyFailureDegradesDependentsWithoutRestartingThem() throws Exception {
    int dbPort = DockerTestSupport.freePort();
    int appPort = DockerTestSupport.freePort();
    String unrelated = docker.startUnrelated("sleep", "600");
    String body = "  agents {\n" + SupervisorHarness.httpAgent("db", dbPort, "")
        + SupervisorHarness.httpAgent("app", appPort, "      depends-on = [\"db\"]") + "  }";
    try (SupervisorHarness h = new SupervisorHarness(docker, SupervisorHarness.tempDir("sup"), body,
        HostPressure.fixed(false, 1), Map.of())) {
      AgentEvent.BecameHealthy dbHealthy = h.await("db", AgentEvent.BecameHealthy.class, LONG);
      AgentEvent.ActivationRequested appAsked = h.await("app", AgentEvent.ActivationRequested.class, LONG);
      assertTrue(!appAsked.at().isBefore(dbHealthy.at()), "app was activated before db was healthy");
      h.await("app", AgentEvent.BecameHealthy.class, LONG);
      String appContainer = h.healthyStatus("app", LONG).containerId();

      // db dies: app is degraded, neither restarted nor killed, and resumes when db is back.
      docker.client().killContainerCmd(h.healthyStatus("db", LONG).containerId()).exec();
      h.await("app", AgentEvent.Degraded.class, LONG);
      h.await("db", AgentEvent.RestartScheduled.class, LONG);
      h.await("db", AgentEvent.BecameHealthy.class, LONG);
      h.await("app", AgentEvent.DependencyRecovered.class, LONG);
      await().atMost(LONG).until(() -> h.status("app").phase() == AgentPhase.HEALTHY);
      AgentStatus app = h.status("app");
      assertEquals(appContainer, app.containerId());
      assertEquals(0, app.totalRestarts());
      assertTrue(docker.isRunning(appContainer));
      assertTrue(h.seen.stream().noneMatch(p -> p.agent().equals("app") && p.event() instanceof AgentEvent.RestartScheduled));
    }
    assertTrue(docker.isRunning(unrelated), "the unrelated container must be left running");
  }

  @Test
  void aKilledContainerIsNoticedFromTheEnginesEventStreamAndRestartedWithinSeconds() throws Exception {
    // Why polling cannot be what notices the kill here: the container actor looks at the container only when
    // it probes (every probe starts with an inspect, the backstop for a missed event), and the first probe runs
    // 500 ms after the start, the next one `interval` (1 h) after that. BecameHealthy is journalled only once
    // that first probe has passed, so after it nothing inspects the container for an hour: no readiness probe,
    // right-sizing off (it samples stats, never reports deaths), and the one-off resync runs only when the
    // engine connection is (re)made. Only the engine's die event can bring the restart within seconds.
    String body = "  agents {\n    watched {\n      image = \"" + DockerTestSupport.IMAGE + "\"\n"
        + "      command = [\"sleep\", \"600\"]\n      memory = 16MiB\n      cpus = 0.1\n"
        + "      health { kind = cmd, command = [\"true\"], interval = 1h, timeout = 5s, retries = 1, start-period = 0s }\n"
        + "      restart { min-backoff = 300ms }\n    }\n  }";
    try (SupervisorHarness h = new SupervisorHarness(docker, SupervisorHarness.tempDir("sup"), body,
        HostPressure.fixed(false, 1), Map.of("sutazai.quota.right-sizing.enabled", "off"))) {
      AgentEvent.BecameHealthy up = h.await("watched", AgentEvent.BecameHealthy.class, LONG);
      String container = h.healthyStatus("watched", LONG).containerId();
      Instant killed = Instant.now();
      docker.client().killContainerCmd(container).exec();
      AgentEvent.RestartScheduled r = h.awaitAfter("watched", AgentEvent.RestartScheduled.class, up, Duration.ofSeconds(10));
      assertTrue(r.reason().contains("exited with code 137"), r.reason()); // SIGKILL
      long noticedMillis = Duration.between(killed, r.at()).toMillis();
      assertTrue(noticedMillis < 5000, "the kill was noticed after " + noticedMillis + " ms");
      AgentEvent.BecameHealthy again = h.awaitAfter("watched", AgentEvent.BecameHealthy.class, r, Duration.ofSeconds(10));
      assertTrue(again.at().isAfter(r.at()));
      assertTrue(docker.isRunning(h.healthyStatus("watched", LONG).containerId()), "the agent runs again");
    }
  }

  @Test
  void crashesRestartWithBackoffThenParkAsCrashLoop() throws Exception {
    String body = "  agents {\n    crasher {\n      image = \"" + DockerTestSupport.IMAGE + "\"\n"
        + "      command = [\"sh\", \"-c\", \"exit 3\"]\n      memory = 16MiB\n      cpus = 0.1\n"
        + "      restart { min-backoff = 300ms, max-backoff = 5s }\n      crash-loop { max-restarts = 3, window = 1m }\n    }\n  }";
    try (SupervisorHarness h = new SupervisorHarness(docker, SupervisorHarness.tempDir("sup"), body,
        HostPressure.fixed(false, 1), Map.of())) {
      List<Long> delays = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        AgentEvent.RestartScheduled r = h.await("crasher", AgentEvent.RestartScheduled.class, LONG);
        assertTrue(r.reason().contains("code 3"), r.reason());
        delays.add(r.delayMillis());
      }
      assertEquals(List.of(300L, 600L, 1200L), delays);
      AgentEvent.CrashLoopDetected loop = h.await("crasher", AgentEvent.CrashLoopDetected.class, LONG);
      assertEquals(3, loop.restarts());
      await().atMost(LONG).until(() -> h.status("crasher").phase() == AgentPhase.CRASH_LOOP);
      assertEquals(3, h.status("crasher").totalRestarts());
    }
  }

  @Test
  void anUnhealthyContainerIsRestarted() throws Exception {
    int port = DockerTestSupport.freePort();
    String agent = SupervisorHarness.httpAgent("sick", port, "").replace("/health", "/missing").replace("start-period = 5s", "start-period = 0s");
    try (SupervisorHarness h = new SupervisorHarness(docker, SupervisorHarness.tempDir("sup"), "  agents {\n" + agent + "  }",
        HostPressure.fixed(false, 1), QUICK_STOP)) {
      AgentEvent.ContainerStarted first = h.await("sick", AgentEvent.ContainerStarted.class, LONG);
      AgentEvent.BecameUnhealthy u = h.awaitAfter("sick", AgentEvent.BecameUnhealthy.class, first, LONG);
      assertTrue(u.reason().contains("404"), u.reason());
      AgentEvent.RestartScheduled r = h.awaitAfter("sick", AgentEvent.RestartScheduled.class, u, LONG);
      assertTrue(r.reason().contains("404"), r.reason());
      // A start journalled AFTER the restart was scheduled (the first start cannot answer this await) ...
      AgentEvent.ContainerStarted again = h.awaitAfter("sick", AgentEvent.ContainerStarted.class, r, LONG);
      assertTrue(again.at().isAfter(r.at()), "restart journalled at " + again.at() + ", scheduled at " + r.at());
      // ... that the engine really did: the agent's container process started after the restart was scheduled,
      // and the agent has exactly one container, running or not (restarted in place, or replaced with the old
      // one removed).
      Instant engineStart = Instant.parse(docker.client().inspectContainerCmd(again.containerId()).exec().getState().getStartedAt());
      assertTrue(engineStart.isAfter(r.at()), "engine says started " + engineStart + ", restart scheduled " + r.at());
      assertEquals(List.of(again.containerId()), docker.client().listContainersCmd().withShowAll(true)
          .withLabelFilter(Map.of(ai.sutazai.runtime.Labels.FLEET, docker.fleet(), ai.sutazai.runtime.Labels.AGENT, "sick"))
          .exec().stream().map(c -> c.getId()).toList());
    }
  }

  @Test
  void aTcpProbePassesWhenThePortListensAndRestartsTheContainerAfterRetriesWhenNothingListens() throws Exception {
    int open = DockerTestSupport.freePort();
    int closed = DockerTestSupport.freePort(); // nobody listens here
    // busybox nc has no -k: -ll with -e keeps listening after each connection.
    String body = "  agents {\n"
        + "    listener {\n      image = \"" + DockerTestSupport.IMAGE + "\"\n"
        + "      command = [\"nc\", \"-ll\", \"-p\", \"" + open + "\", \"-e\", \"true\"]\n      memory = 16MiB\n      cpus = 0.1\n"
        + "      health { kind = tcp, port = " + open + ", interval = 300ms, timeout = 1s, retries = 2, start-period = 5s }\n    }\n"
        + "    deaf {\n      image = \"" + DockerTestSupport.IMAGE + "\"\n"
        + "      command = [\"sleep\", \"600\"]\n      memory = 16MiB\n      cpus = 0.1\n"
        + "      health { kind = tcp, port = " + closed + ", interval = 300ms, timeout = 1s, retries = 3, start-period = 0s }\n    }\n"
        + "  }";
    try (SupervisorHarness h = new SupervisorHarness(docker, SupervisorHarness.tempDir("sup"), body,
        HostPressure.fixed(false, 1), QUICK_STOP)) {
      h.await("listener", AgentEvent.BecameHealthy.class, LONG);

      AgentEvent.ContainerStarted started = h.await("deaf", AgentEvent.ContainerStarted.class, LONG);
      AgentEvent v = verdict(h, "deaf", started);
      AgentEvent.BecameUnhealthy u = assertInstanceOf(AgentEvent.BecameUnhealthy.class, v, v.describe());
      assertTrue(u.reason().contains("tcp 127.0.0.1:" + closed) && u.reason().contains("(3 consecutive failures)"), u.reason());
      AgentEvent.RestartScheduled r = h.awaitAfter("deaf", AgentEvent.RestartScheduled.class, u, LONG);
      assertTrue(r.reason().contains("tcp 127.0.0.1:" + closed), r.reason());
      h.awaitAfter("deaf", AgentEvent.ContainerStarted.class, r, LONG);

      // Meanwhile (several seconds of probes every 300 ms) the listening agent never failed.
      assertTrue(events(h, "listener").noneMatch(e -> e instanceof AgentEvent.BecameUnhealthy || e instanceof AgentEvent.RestartScheduled),
          () -> "listener: " + events(h, "listener").map(AgentEvent::describe).toList());
      assertEquals(AgentPhase.HEALTHY, h.status("listener").phase());
    }
  }

  @Test
  void failuresInsideTheStartPeriodDoNotCount() throws Exception {
    // httpd comes up 3 s after the start: about 10 failed probes, 300 ms apart, where 2 (600 ms) make a
    // container unhealthy outside the start period (anUnhealthyContainerIsRestarted).
    int port = DockerTestSupport.freePort();
    String body = "  agents {\n" + SupervisorHarness.lateHttpAgent("late", port, 3,
        "interval = 300ms, timeout = 1s, retries = 2, start-period = 20s") + "  }";
    try (SupervisorHarness h = new SupervisorHarness(docker, SupervisorHarness.tempDir("sup"), body,
        HostPressure.fixed(false, 1), Map.of())) {
      AgentEvent.ContainerStarted started = h.await("late", AgentEvent.ContainerStarted.class, LONG);
      // Healthy, not unhealthy and restarted as it would be if the start period were ignored.
      AgentEvent v = verdict(h, "late", started);
      AgentEvent.BecameHealthy healthy = assertInstanceOf(AgentEvent.BecameHealthy.class, v, v.describe());
      long failingMillis = Duration.between(started.at(), healthy.at()).toMillis();
      assertTrue(failingMillis >= 2000, "healthy after " + failingMillis + " ms: the probes did not fail long enough to test anything");
      AgentStatus s = h.healthyStatus("late", LONG);
      assertEquals(started.containerId(), s.containerId());
      assertEquals(0, s.totalRestarts());
    }
  }

  @Test
  void aContainerThatRanLongerThanResetAfterIsRestartedAfterMinBackoffAgain() throws Exception {
    // reset-after counts from the last BecameHealthy (ContainerReports.restart, AgentState.healthySince); with
    // no probe that is the container start. The container asks this test how long to live: runs 1-3 and 5
    // crash at once (well inside reset-after = 2s), run 4 lives 4 s.
    AtomicInteger runs = new AtomicInteger();
    HttpServer lifetimes = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    lifetimes.createContext("/", ex -> {
      byte[] seconds = (runs.incrementAndGet() == 4 ? "4" : "0").getBytes(StandardCharsets.US_ASCII);
      ex.sendResponseHeaders(200, seconds.length);
      ex.getResponseBody().write(seconds);
      ex.close();
    });
    lifetimes.start();
    String body = "  agents {\n    flaky {\n      image = \"" + DockerTestSupport.IMAGE + "\"\n"
        + "      command = [\"sh\", \"-c\", \"sleep $(wget -q -O - http://127.0.0.1:" + lifetimes.getAddress().getPort() + "/); exit 3\"]\n"
        + "      memory = 16MiB\n      cpus = 0.1\n"
        + "      restart { min-backoff = 300ms, max-backoff = 5s, reset-after = 2s }\n"
        + "      crash-loop { max-restarts = 10, window = 1m }\n    }\n  }";
    try (SupervisorHarness h = new SupervisorHarness(docker, SupervisorHarness.tempDir("sup"), body,
        HostPressure.fixed(false, 1), Map.of())) {
      List<AgentEvent.RestartScheduled> restarts = new java.util.ArrayList<>();
      List<AgentEvent.BecameHealthy> healthy = new java.util.ArrayList<>();
      AgentEvent previous = h.await("flaky", AgentEvent.ActivationRequested.class, LONG);
      for (int run = 1; run <= 5; run++) {
        AgentEvent.BecameHealthy up = h.awaitAfter("flaky", AgentEvent.BecameHealthy.class, previous, LONG);
        AgentEvent.RestartScheduled r = h.awaitAfter("flaky", AgentEvent.RestartScheduled.class, up, LONG);
        assertTrue(r.reason().contains("code 3"), r.reason());
        healthy.add(up);
        restarts.add(r);
        previous = r;
      }
      // The scene: only run 4 was up (healthy) for longer than reset-after before it crashed.
      List<Long> upMillis = new java.util.ArrayList<>();
      for (int i = 0; i < 5; i++) {
        upMillis.add(Duration.between(healthy.get(i).at(), restarts.get(i).at()).toMillis());
      }
      for (int i = 0; i < 5; i++) {
        assertTrue(i == 3 ? upMillis.get(i) >= 2000 : upMillis.get(i) < 2000, "up for " + upMillis + " ms");
      }
      // Doubling from min-backoff, back to min-backoff after the long run, doubling again from there.
      assertEquals(List.of(300L, 600L, 1200L, 300L, 600L), restarts.stream().map(AgentEvent.RestartScheduled::delayMillis).toList(),
          () -> "up for " + upMillis + " ms");
      assertEquals(List.of(0, 1, 2, 0, 1), restarts.stream().map(AgentEvent.RestartScheduled::attempt).toList());
    } finally {
      lifetimes.stop(0);
    }
  }

  @Test
  void aSlowProbeUnderHostPressureGetsAWiderTimeoutInsteadOfARestart() throws Exception {
    // The probe takes ~1 s against a 400 ms timeout: a restart without pressure, healthy under pressure (x5).
    String body = "  agents {\n    slow {\n      image = \"" + DockerTestSupport.IMAGE + "\"\n"
        + "      command = [\"sleep\", \"600\"]\n      memory = 16MiB\n      cpus = 0.1\n"
        + "      health { kind = cmd, command = [\"sleep\", \"1\"], interval = 500ms, timeout = 400ms, retries = 1, start-period = 0s }\n"
        + "    }\n  }";
    try (SupervisorHarness h = new SupervisorHarness(docker, SupervisorHarness.tempDir("sup"), body,
        HostPressure.fixed(true, 5), Map.of())) {
      h.await("slow", AgentEvent.BecameHealthy.class, LONG);
      Instant healthyAt = Instant.now();
      // Several more probes run; none may fail.
      await().atMost(LONG).until(() -> Duration.between(healthyAt, Instant.now()).toMillis() > 3000);
      AgentStatus s = h.status("slow");
      assertEquals(AgentPhase.HEALTHY, s.phase());
      assertEquals(0, s.totalRestarts());
    }
    try (SupervisorHarness h = new SupervisorHarness(docker, SupervisorHarness.tempDir("sup"), body,
        HostPressure.fixed(false, 1), Map.of())) {
      AgentEvent.BecameUnhealthy u = h.await("slow", AgentEvent.BecameUnhealthy.class, LONG);
      assertTrue(u.reason().contains("timed out"), u.reason());
    }
  }

  /**
   * The first verdict on the container whose start is {@code started}: the first BecameHealthy, BecameUnhealthy
   * or RestartScheduled of {@code agent} journalled after it (each awaitAfter claims what it returns, so the
   * loop walks the agent's events in journal order).
   */
  private static AgentEvent verdict(SupervisorHarness h, String agent, AgentEvent.ContainerStarted started) {
    AgentEvent e;
    do {
      e = h.awaitAfter(agent, AgentEvent.class, started, LONG);
    } while (!(e instanceof AgentEvent.BecameHealthy || e instanceof AgentEvent.BecameUnhealthy
        || e instanceof AgentEvent.RestartScheduled));
    return e;
  }

  private static java.util.stream.Stream<AgentEvent> events(SupervisorHarness h, String agent) {
    return h.seen.stream().filter(p -> p.agent().equals(agent)).map(AgentEventPublished::event);
  }
}
