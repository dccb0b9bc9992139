package ai.sutazai.supervisor;

import ai.sutazai.supervisor.container.HostPressure;
import ai.sutazai.supervisor.protocol.AgentEvent;
import ai.sutazai.supervisor.protocol.AgentPhase;
import ai.sutazai.supervisor.protocol.AgentStatus;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.runtime.DockerRuntime;
import ai.sutazai.testsupport.DockerTestSupport;
import ai.sutazai.testsupport.UnixSocketProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Losing the Docker connection is survived: the supervisor reconnects with backoff and resynchronises.
 * A container that died while the engine was unreachable is restarted; a healthy one is left alone.
 */
class EngineReconnectTest {
  @RegisterExtension static final DockerTestSupport docker = new DockerTestSupport();

  @Test
  void reconnectsAndResynchronisesWithoutRestartingHealthyContainers() throws Exception {
    assertTrue(docker.host().startsWith("unix://"), "this test needs the engine on a unix socket: " + docker.host());
    Path dir = Files.createTempDirectory("reconnect");
    try (UnixSocketProxy proxy = new UnixSocketProxy(dir.resolve("proxy.sock"), Path.of(docker.host().substring(7)));
        DockerRuntime viaProxy = DockerRuntime.create("unix://" + dir.resolve("proxy.sock"), Duration.ofSeconds(5))) {
      proxy.restore();
      int stayPort = DockerTestSupport.freePort();
      int diePort = DockerTestSupport.freePort();
      String body = "  agents {\n" + SupervisorHarness.httpAgent("stays", stayPort, "")
          + SupervisorHarness.httpAgent("dies", diePort, "") + "  }";
      try (SupervisorHarness h = new SupervisorHarness(docker, viaProxy, dir, body, HostPressure.fixed(false, 1), Map.of())) {
        h.await("stays", AgentEvent.BecameHealthy.class, Duration.ofSeconds(60));
        h.await("dies", AgentEvent.BecameHealthy.class, Duration.ofSeconds(60));
        String stays = h.healthyStatus("stays", Duration.ofSeconds(30)).containerId();
        String dies = h.healthyStatus("dies", Duration.ofSeconds(30)).containerId();

        proxy.cut();
        await().atMost(Duration.ofSeconds(30)).until(() -> !h.engineUp());
        docker.client().killContainerCmd(dies).exec(); // behind the supervisor's back
        proxy.restore();

        AgentEvent.RestartScheduled r = h.await("dies", AgentEvent.RestartScheduled.class, Duration.ofSeconds(60));
        assertTrue(r.reason().contains("137") || r.reason().contains("exited"), r.reason());
        h.await("dies", AgentEvent.BecameHealthy.class, Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(30)).until(h::engineUp);
        AgentStatus s = h.status("stays");
        assertEquals(stays, s.containerId());
        assertEquals(0, s.totalRestarts());
        assertEquals(AgentPhase.HEALTHY, s.phase());
        assertTrue(docker.isRunning(stays));
      }
    }
  }
}
