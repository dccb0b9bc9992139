package ai.sutazai.cluster;

import akka.cluster.sharding.typed.ShardingEnvelope;
import akka.cluster.sharding.typed.ShardingMessageExtractor;

/**
 * Message extractor for entities that each get their own shard (shard id = entity id), so that the
 * allocation strategy places single entities (agents) by their own size, see
 * {@link CapacityAllocationStrategy}. Messages arrive in {@link ShardingEnvelope}s (as {@code EntityRef}
 * sends them).
 */
public final class OneEntityPerShard<M> extends ShardingMessageExtractor<ShardingEnvelope<M>, M> {
  @Override
  public String entityId(ShardingEnvelope<M> envelope) {
    return envelope.entityId();
  }

  @Override
  public String shardId(String entityId) {
    return entityId;
  }

  @Override
  public M unwrapMessage(ShardingEnvelope<M> envelope) {
    return envelope.message();
  }
}
