package ai.sutazai.supervisor;

import ai.sutazai.supervisor.protocol.SupervisorProtocol;

import ai.sutazai.supervisor.protocol.PoolStatus;
import ai.sutazai.supervisor.protocol.ScalingDecision;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.runtime.ContainerInfo;
import ai.sutazai.testsupport.DockerTestSupport;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.pattern.StatusReply;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The activation queue survives kill -9: a supervisor process acknowledges queued activation requests
 * and is killed with SIGKILL; a new supervisor on the same H2 journal has the same queue, in the same
 * order, and admits each request exactly once (one container per agent, the running one adopted).
 */
class QuotaRecoveryAfterKillTest {
  @RegisterExtension static final DockerTestSupport docker = new DockerTestSupport();

  private static final Duration LONG = Duration.ofSeconds(60);

  @Test
  void acknowledgedQueuedRequestsSurviveKillDashNineWithoutDuplicates() throws Exception {
    Path dir = Files.createTempDirectory("quota-kill");
    String pool = QuotaHarness.pool(1, "1GiB", 2);
    String agents = QuotaHarness.sleeper("holder", 9, "") + QuotaHarness.sleeper("a", 1, "")
        + QuotaHarness.sleeper("b", 3, "") + QuotaHarness.sleeper("c", 2, "");
    Path fleet = dir.resolve("fleet.conf");
    Files.writeString(fleet, "sutazai.fleet {\n  name = \"" + docker.fleet() + "\"\n" + pool + "\n  agents {\n" + agents + "  }\n}\n");
    Path conf = dir.resolve("test.conf");
    Files.writeString(conf, "sutazai.data-dir = \"" + dir.resolve("data") + "\"\nsutazai.persistence.db = h2\n"
        + "sutazai.docker.host = \"" + docker.host() + "\"\n");

    Process first = start(dir, conf, fleet);
    String holderId;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
        Writer in = new java.io.OutputStreamWriter(first.getOutputStream(), StandardCharsets.UTF_8)) {
      assertEquals("ready", readLine(out));
      for (String agent : List.of("holder", "a", "b", "c")) {
        in.write("activate " + agent + "\n");
        in.flush();
      }
      assertEquals("ack holder STARTING 0", readLine(out));
      assertEquals("ack a QUEUED 1", readLine(out));
      assertEquals("ack b QUEUED 1", readLine(out));
      assertEquals("ack c QUEUED 2", readLine(out));
      await().atMost(LONG).until(() -> running().contains("holder"));
      holderId = docker.runtime().inspect(docker.containerName("holder")).orElseThrow().id();
    } finally {
      first.destroyForcibly(); // SIGKILL
      first.waitFor(30, TimeUnit.SECONDS);
    }

    try (QuotaHarness q = new QuotaHarness(docker, dir, pool, agents, Map.of())) {
      PoolStatus p = q.pool();
      assertEquals(List.of("b", "c", "a"), p.queue().stream().map(PoolStatus.Queued::agent).toList(), "queue after kill -9");
      assertEquals(1, p.activeCount());
      TestProbe<StatusReply<PoolStatus>> reply = q.h.kit.createTestProbe();
      q.h.supervisor.tell(new SupervisorProtocol.SetQuota("default", 4, null, null, reply.getRef()));
      assertTrue(reply.receiveMessage().isSuccess());
      await().atMost(LONG).until(() -> running().size() == 4);
      List<ContainerInfo> all = docker.runtime().listManaged(docker.fleet());
      assertEquals(4, all.size(), "one container per agent: " + all);
      assertEquals(holderId, docker.runtime().inspect(docker.containerName("holder")).orElseThrow().id(), "holder adopted");
      for (String agent : List.of("a", "b", "c")) {
        q.await(ScalingDecision.Kind.ADMITTED, agent, LONG);
      }
      assertEquals(3, q.seen.stream().filter(d -> d.kind() == ScalingDecision.Kind.ADMITTED).count(), q.seen.toString());
      assertTrue(q.seen.stream().noneMatch(d -> "holder".equals(d.agent()) && d.kind() == ScalingDecision.Kind.ADOPTED),
          "holder was in the ledger: " + q.seen);
    }
  }

  private static String readLine(BufferedReader out) throws Exception {
    String line = out.readLine();
    while (line != null && !(line.equals("ready") || line.startsWith("ack "))) {
      line = out.readLine(); // log lines
    }
    return line;
  }

  private static List<String> running() {
    return docker.runtime().listManaged(docker.fleet()).stream().filter(ContainerInfo::running).map(ContainerInfo::agent).toList();
  }

  private static Process start(Path dir, Path conf, Path fleet) throws Exception {
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-Dh2.bindAddress=127.0.0.1",
        "-cp", System.getProperty("java.class.path"), QuotaKillDriver.class.getName(), conf.toString(), fleet.toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(new File(System.getProperty("user.dir")))
        .redirectError(dir.resolve("err.log").toFile());
    pb.environment().put("DOCKER_HOST", docker.host());
    return pb.start();
  }
}
