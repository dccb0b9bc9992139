package ai.sutazai.supervisor.placement;

import ai.sutazai.supervisor.placement.ClusterPlacement.Demand;
import ai.sutazai.common.SettingsException;
import akka.cluster.sharding.typed.ShardingEnvelope;
import akka.cluster.sharding.typed.ShardingMessageExtractor;
import com.typesafe.config.Config;
import java.util.HashMap;
import java.util.Map;

/**
 * Which shard an agent's entity lives in: a fixed number of shards ({@value #SHARDS_KEY}), the agent name's
 * {@code String.hashCode()} modulo that number, so every node computes the same shard for an agent whatever
 * fleet file it loaded. The shard is the unit {@link CapacityAllocationStrategy} places (by the summed
 * requests of its agents) and the unit the shard coordinator re-allocates when a node is lost: the
 * coordinator records each allocation in Distributed Data one at a time, so failover and placement take
 * time in proportion to the number of shards, not of agents. With many more shards than agents (a
 * small fleet) nearly every agent has a shard of its own and is placed by its own size.
 *
 * <p>Messages arrive in {@link ShardingEnvelope}s (as {@code EntityRef} sends them); entity id = agent name.
 */
public final class AgentShards<M> extends ShardingMessageExtractor<ShardingEnvelope<M>, M> {
  /** Config key of the number of shards (every node of a cluster must use the same value). */
  public static final String SHARDS_KEY = "sutazai.cluster.shards";

  private final int shards;

  public AgentShards(int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be at least 1, was " + shards);
    }
    this.shards = shards;
  }

  /** The number of shards of {@value #SHARDS_KEY}; a value below 1 is a settings error naming the key. */
  public static int shardsOf(Config conf) {
    int n;
    try {
      n = conf.getInt(SHARDS_KEY);
    } catch (com.typesafe.config.ConfigException e) {
      throw new SettingsException(SHARDS_KEY + ": " + e.getMessage());
    }
    if (n < 1) {
      throw new SettingsException(SHARDS_KEY + " must be at least 1, was " + n);
    }
    return n;
  }

  /** The shard of an agent. */
  public String shardOf(String agent) {
    return Integer.toString(Math.floorMod(agent.hashCode(), shards));
  }

  /** What each shard needs: the sum of its agents' demands. */
  public Map<String, Demand> demandByShard(Map<String, Demand> demandByAgent) {
    Map<String, Demand> byShard = new HashMap<>();
    demandByAgent.forEach((agent, d) -> byShard.merge(shardOf(agent), d, Demand::plus));
    return byShard;
  }

  @Override
  public String entityId(ShardingEnvelope<M> envelope) {
    return envelope.entityId();
  }

  @Override
  public String shardId(String entityId) {
    return shardOf(entityId);
  }

  @Override
  public M unwrapMessage(ShardingEnvelope<M> envelope) {
    return envelope.message();
  }
}
