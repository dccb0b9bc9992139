package ai.sutazai.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.sutazai.testsupport.DockerTestSupport;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three ActorSystems on loopback free ports form one cluster through seed nodes, as ClusterNode.join does it. */
class ClusterFormationTest {
  @TempDir Path dir;
  private final List<ActorTestKit> nodes = new ArrayList<>();

  @AfterEach
  void shutDown() {
    nodes.forEach(ActorTestKit::shutdownTestKit);
  }

  @Test
  void threeNodesFormOneClusterThroughSeedNodesGivenAsACommaSeparatedString() {
    int[] ports = {DockerTestSupport.freePort(), DockerTestSupport.freePort(), DockerTestSupport.freePort()};
    // As SUTAZAI_SEED_NODES passes them: one string. The first seed starts the cluster, the others join it.
    String seeds = "127.0.0.1:" + ports[0] + ", 127.0.0.1:" + ports[1];
    for (int i = 0; i < ports.length; i++) {
      var conf = ClusterTestSupport.nodeConfig(dir.resolve("n" + i), ports[i], 0,
          Map.of("sutazai.cluster.seed-nodes", seeds));
      ActorTestKit kit = ActorTestKit.create("sutazai", conf);
      nodes.add(kit);
      ClusterNode.join(kit.system(), conf);
    }
    Set<String> expected = Set.of("akka://sutazai@127.0.0.1:" + ports[0], "akka://sutazai@127.0.0.1:" + ports[1],
        "akka://sutazai@127.0.0.1:" + ports[2]);
    for (ActorTestKit kit : nodes) {
      Cluster cluster = Cluster.get(kit.system());
      await().atMost(Duration.ofSeconds(30)).until(() -> upMembers(cluster).equals(expected));
    }
    assertEquals(expected, upMembers(Cluster.get(nodes.get(2).system())));
  }

  private static Set<String> upMembers(Cluster cluster) {
    return StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up())
        .map(Member::address).map(Object::toString).collect(Collectors.toSet());
  }
}
