package ai.sutazai.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.common.SettingsException;
import ai.sutazai.testsupport.DockerTestSupport;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import com.typesafe.config.Config;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A single node (cluster provider, remoting on a free port) joins itself and serves Akka Management:
 * /alive, /ready gated on cluster membership, the journal database and the Docker engine, and
 * /cluster/members. Needs the Docker engine of DOCKER_HOST and PostgreSQL of SUTAZAI_DB_URL (fails
 * without them).
 */
class ClusterNodeManagementTest {
  @TempDir Path dir;

  @BeforeAll
  static void engine() {
    ClusterTestSupport.requireDocker();
  }

  @Test
  void singleNodeJoinsItselfAndIsReadyWithJournalAndDocker() throws Exception {
    int mgmt = DockerTestSupport.freePort();
    try (Node node = Node.start(dir, mgmt, Map.of())) {
      String self = node.cluster().selfMember().address().toString();
      assertEquals(200, ClusterTestSupport.get(mgmt, "/alive").statusCode());
      await().atMost(Duration.ofSeconds(20)).until(() -> ClusterTestSupport.get(mgmt, "/ready").statusCode() == 200);
      HttpResponse<String> members = ClusterTestSupport.get(mgmt, "/cluster/members");
      assertEquals(200, members.statusCode());
      assertTrue(members.body().contains("\"node\":\"" + self + "\""), members.body());
      assertTrue(members.body().contains("\"status\":\"Up\""), members.body());
      assertTrue(Files.isDirectory(dir.resolve("data").resolve("journal")), "the H2 journal was not opened");
    }
  }

  @Test
  void readyFailsWhileTheDockerEngineIsUnreachableButAliveStaysUp() throws Exception {
    int mgmt = DockerTestSupport.freePort();
    Path deadSocket = dir.resolve("dead.sock"); // nothing listens here
    try (Node node = Node.start(dir, mgmt, Map.of("sutazai.docker.host", "unix://" + deadSocket))) {
      HttpResponse<String> ready = ClusterTestSupport.get(mgmt, "/ready");
      assertNotEquals(200, ready.statusCode());
      assertTrue(ready.body().contains("Docker engine unix://" + deadSocket), ready.body());
      assertEquals(200, ClusterTestSupport.get(mgmt, "/alive").statusCode());
    }
  }

  @Test
  void readyFailsWhileTheJournalDatabaseIsUnreachable() throws Exception {
    int mgmt = DockerTestSupport.freePort();
    int closed = DockerTestSupport.freePort(); // nothing listens here
    String url = "jdbc:postgresql://127.0.0.1:" + closed + "/sutazai";
    try (Node node = Node.start(dir, mgmt,
        Map.of("sutazai.persistence.db", "postgres", "sutazai.persistence.postgres.url", url))) {
      HttpResponse<String> ready = ClusterTestSupport.get(mgmt, "/ready");
      assertNotEquals(200, ready.statusCode());
      assertTrue(ready.body().contains("journal database " + url), ready.body());
    }
  }

  @Test
  void readyWithTheJournalOnPostgres() throws Exception {
    int mgmt = DockerTestSupport.freePort();
    try (Node node = Node.start(dir, mgmt,
        Map.of("sutazai.persistence.db", "postgres", "sutazai.persistence.postgres.url", ClusterTestSupport.postgresUrl()))) {
      // Probes repeat: the first one may be slow (driver loading, SCRAM) on a busy machine.
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        HttpResponse<String> ready = ClusterTestSupport.get(mgmt, "/ready");
        assertEquals(200, ready.statusCode(), "PostgreSQL at " + ClusterTestSupport.postgresUrl()
            + " (cluster/dev/postgres.sh) and Docker must answer: " + ready.body());
      });
    }
  }

  @Test
  void portsInUseAreReportedNamingTheSetting() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      Config conf = ClusterTestSupport.nodeConfig(dir.resolve("data"), port, 0, Map.of());
      SettingsException remote = assertThrows(SettingsException.class,
          () -> ClusterNode.createSystem(Behaviors.empty(), "sutazai", conf));
      assertTrue(remote.getMessage().startsWith("remoting cannot listen on 127.0.0.1:" + port
          + " (akka.remote.artery.canonical.hostname / .port, env SUTAZAI_REMOTE_HOST / SUTAZAI_REMOTE_PORT)"),
          remote.getMessage());

      ActorTestKit kit = ActorTestKit.create("sutazai", ClusterTestSupport.nodeConfig(dir.resolve("data"), 0, port, Map.of()));
      try {
        ExecutionException e = assertThrows(ExecutionException.class,
            () -> ClusterNode.startManagement(kit.system()).toCompletableFuture().get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof SettingsException, e.toString());
        assertTrue(e.getCause().getMessage().startsWith("Akka Management cannot listen on 127.0.0.1:" + port
            + " (akka.management.http.hostname / akka.management.http.port, env SUTAZAI_AKKA_MANAGEMENT_PORT)"),
            e.getCause().getMessage());
      } finally {
        kit.shutdownTestKit();
      }
    }
  }

  /** One node: started, management bound, joined and Up. */
  private record Node(ActorTestKit kit) implements AutoCloseable {
    static Node start(Path dir, int managementPort, Map<String, Object> overrides) throws Exception {
      Config conf = ClusterTestSupport.nodeConfig(dir.resolve("data"), 0, managementPort, overrides);
      ActorTestKit kit = ActorTestKit.create("sutazai", conf);
      try {
        ClusterNode.startManagement(kit.system()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        ClusterNode.join(kit.system(), conf);
        Cluster cluster = Cluster.get(kit.system());
        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.selfMember().status() == MemberStatus.up());
        return new Node(kit);
      } catch (Exception | AssertionError e) {
        kit.shutdownTestKit();
        throw e;
      }
    }

    Cluster cluster() {
      return Cluster.get(kit.system());
    }

    @Override
    public void close() {
      kit.shutdownTestKit();
    }
  }
}
