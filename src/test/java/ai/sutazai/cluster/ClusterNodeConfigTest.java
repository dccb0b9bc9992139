package ai.sutazai.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.common.Settings;
import ai.sutazai.common.SettingsException;
import akka.actor.Address;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What reference.conf sets, and how ClusterNode reads seed nodes. */
class ClusterNodeConfigTest {

  @Test
  void defaultsAreAClusterOfOneOnLoopbackWithKeepMajorityWithinTheFailoverBudget() {
    Config conf = Settings.load(null);
    assertEquals("cluster", conf.getString("akka.actor.provider"));
    assertEquals("127.0.0.1", conf.getString("akka.remote.artery.canonical.hostname"));
    assertEquals("akka.cluster.sbr.SplitBrainResolverProvider", conf.getString("akka.cluster.downing-provider-class"));
    assertEquals("keep-majority", conf.getString("akka.cluster.split-brain-resolver.active-strategy"));
    assertTrue(conf.getDuration("akka.cluster.split-brain-resolver.stable-after").getSeconds() <= 20,
        "stable-after must leave room for failure detection and handover within 30 s");
    assertFalse(conf.getBoolean("akka.actor.allow-java-serialization"));
    assertEquals("127.0.0.1", conf.getString("akka.management.http.hostname"));
    assertTrue(conf.getConfig("akka.management.health-checks.readiness-checks").root().keySet()
        .containsAll(List.of("journal", "docker", "cluster-membership")));
    assertEquals(List.of(), ClusterNode.seedNodes("sutazai", conf));
  }

  @Test
  void seedNodesAsAListOrAsOneCommaSeparatedString() {
    List<Address> expected = List.of(new Address("akka", "sutazai", "127.0.0.1", 2551),
        new Address("akka", "sutazai", "node-2.example", 2552));
    assertEquals(expected, ClusterNode.seedNodes("sutazai",
        seeds(List.of("127.0.0.1:2551", "node-2.example:2552"))));
    assertEquals(expected, ClusterNode.seedNodes("sutazai", seeds(" 127.0.0.1:2551 ,node-2.example:2552,")));
    assertEquals(List.of(new Address("akka", "s", "::1", 2551)), ClusterNode.seedNodes("s", seeds("[::1]:2551")));
  }

  @Test
  void aBadSeedNodeIsRejectedNamingTheKeyAndTheEntry() {
    for (String bad : List.of("127.0.0.1", "127.0.0.1:", "host:port", ":2551", "host:70000", "akka://s@h:1/x")) {
      SettingsException e = assertThrows(SettingsException.class,
          () -> ClusterNode.seedNodes("sutazai", seeds("127.0.0.1:2551," + bad)), bad);
      assertTrue(e.getMessage().startsWith("sutazai.cluster.seed-nodes: \"" + bad + "\" is not host:port"), e.getMessage());
    }
  }

  private static Config seeds(Object value) {
    return ConfigFactory.parseMap(Map.of("sutazai.cluster.seed-nodes", value));
  }
}
