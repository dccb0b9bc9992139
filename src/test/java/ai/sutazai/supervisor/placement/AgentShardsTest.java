package ai.sutazai.supervisor.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.supervisor.placement.ClusterPlacement.Demand;
import ai.sutazai.common.SettingsException;
import com.typesafe.config.ConfigFactory;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every node must compute the same shard for an agent, and a shard is placed by what its agents need together. */
class AgentShardsTest {
  private static final long MIB = 1024L * 1024;

  @Test
  void anAgentsShardDependsOnlyOnItsNameAndTheShardCount() {
    AgentShards<String> a = new AgentShards<>(256);
    AgentShards<String> b = new AgentShards<>(256);
    Set<String> used = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String agent = "agent-" + i;
      String shard = a.shardOf(agent);
      assertEquals(shard, b.shardOf(agent), "two nodes agree on " + agent);
      assertEquals(shard, a.shardId(agent), "the extractor uses the same shard");
      int n = Integer.parseInt(shard);
      assertTrue(n >= 0 && n < 256, agent + " got shard " + shard);
      used.add(shard);
    }
    assertEquals(256, used.size(), "10,000 agents spread over all 256 shards");
    // String.hashCode is fixed by the Java language spec, so the mapping is the same in every JVM.
    assertEquals(Integer.toString(Math.floorMod("researcher-7".hashCode(), 256)), a.shardOf("researcher-7"));
  }

  @Test
  void aShardNeedsWhatItsAgentsNeedTogether() {
    AgentShards<String> one = new AgentShards<>(1);
    Map<String, Demand> agents = new HashMap<>();
    agents.put("x", new Demand(100 * MIB, 0.5));
    agents.put("y", new Demand(28 * MIB, 1.0));
    assertEquals(Map.of("0", new Demand(128 * MIB, 1.5)), one.demandByShard(agents));
    AgentShards<String> many = new AgentShards<>(1 << 20);
    Map<String, Demand> separate = many.demandByShard(agents);
    assertEquals(new Demand(100 * MIB, 0.5), separate.get(many.shardOf("x")));
  }

  @Test
  void aShardCountBelowOneIsASettingsErrorNamingTheKey() {
    SettingsException e = assertThrows(SettingsException.class,
        () -> AgentShards.shardsOf(ConfigFactory.parseString("sutazai.cluster.shards = 0")));
    assertTrue(e.getMessage().contains("sutazai.cluster.shards"), e.getMessage());
    SettingsException notANumber = assertThrows(SettingsException.class,
        () -> AgentShards.shardsOf(ConfigFactory.parseString("sutazai.cluster.shards = many")));
    assertTrue(notANumber.getMessage().contains("sutazai.cluster.shards"), notANumber.getMessage());
    assertEquals(64, AgentShards.shardsOf(ConfigFactory.parseString("sutazai.cluster.shards = 64")));
  }
}
