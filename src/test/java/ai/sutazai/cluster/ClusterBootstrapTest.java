package ai.sutazai.cluster;

import static org.awaitility.Awaitility.await;

import ai.sutazai.testsupport.DockerTestSupport;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bootstrap path of ClusterNode.join (what Kubernetes uses, conf/cluster-k8s.conf) with the
 * Kubernetes API replaced by config-based discovery listing the two nodes' Akka Management endpoints.
 */
class ClusterBootstrapTest {
  @TempDir Path dir;
  private final List<ActorTestKit> nodes = new ArrayList<>();

  @AfterEach
  void shutDown() {
    nodes.forEach(ActorTestKit::shutdownTestKit);
  }

  @Test
  void twoNodesFormOneClusterThroughClusterBootstrap() {
    int[] management = {DockerTestSupport.freePort(), DockerTestSupport.freePort()};
    List<Map<String, Object>> endpoints = List.of(Map.of("host", "127.0.0.1", "port", management[0]),
        Map.of("host", "127.0.0.1", "port", management[1]));
    for (int i = 0; i < management.length; i++) {
      Map<String, Object> overrides = new HashMap<>();
      overrides.put(ClusterNode.BOOTSTRAP_KEY, "on");
      overrides.put("akka.discovery.config.services.sutazai.endpoints", endpoints);
      overrides.put("akka.management.cluster.bootstrap.contact-point-discovery.service-name", "sutazai");
      overrides.put("akka.management.cluster.bootstrap.contact-point-discovery.discovery-method", "config");
      overrides.put("akka.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr", 2);
      overrides.put("akka.management.cluster.bootstrap.contact-point-discovery.stable-margin", "1s");
      // Both nodes share one host here, so their endpoints differ by port only; on Kubernetes each pod
      // has its own IP and the same port, and this filter stays on.
      overrides.put("akka.management.cluster.bootstrap.contact-point.filter-on-fallback-port", false);
      Config conf = ClusterTestSupport.nodeConfig(dir.resolve("n" + i), 0, management[i], overrides);
      ActorTestKit kit = ActorTestKit.create("sutazai", conf);
      nodes.add(kit);
      ClusterNode.join(kit.system(), conf); // starts Akka Management and bootstrap
    }
    for (ActorTestKit kit : nodes) {
      Cluster cluster = Cluster.get(kit.system());
      await().atMost(Duration.ofSeconds(60)).until(() -> StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
          .filter(m -> m.status() == MemberStatus.up()).count() == 2);
    }
  }
}
