package ai.sutazai.supervisor.placement;

import ai.sutazai.common.CborSerializable;
import ai.sutazai.supervisor.placement.ClusterPlacement.NodeCapacity;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.ddata.Key;
import akka.cluster.ddata.LWWMap;
import akka.cluster.ddata.LWWMapKey;
import akka.cluster.ddata.SelfUniqueAddress;
import akka.cluster.ddata.typed.javadsl.DistributedData;
import akka.cluster.ddata.typed.javadsl.Replicator;
import akka.cluster.typed.Cluster;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Publishes this node's capacity for agents (memory and CPU after the utilisation targets) to every node
 * through Distributed Data (an LWWMap keyed by cluster address), and keeps the cluster-wide view in an
 * {@link AtomicReference} that {@link CapacityAllocationStrategy} reads without blocking.
 *
 * <p>Hazard: the view is eventually consistent; a node that has just joined may not be in it yet. The
 * allocation strategy then waits for it (at most {@link CapacityAllocationStrategy#REGION_GRACE}), and
 * after that places on the nodes it knows.
 */
public final class NodeCapacities {
  private NodeCapacities() {}

  /** What one node offers, as replicated (the ddata value). */
  public record Entry(long memoryBytes, double cpus) implements CborSerializable {}

  /** Internal only: the replicator's answers. */
  public interface Msg {}

  private record Changed(Replicator.SubscribeResponse<LWWMap<String, Entry>> response) implements Msg {}

  private record Written(Replicator.UpdateResponse<LWWMap<String, Entry>> response) implements Msg {}

  static final Key<LWWMap<String, Entry>> KEY = LWWMapKey.create("sutazai-node-capacity");

  /**
   * Writes this node's capacity and keeps {@code view} current.
   *
   * @param memoryBytes memory this node offers to agents, bytes
   * @param cpus CPU this node offers to agents, cores
   */
  public static Behavior<Msg> create(long memoryBytes, double cpus, AtomicReference<List<NodeCapacity>> view) {
    return Behaviors.<Msg>setup(ctx -> DistributedData.withReplicatorMessageAdapter(
        (akka.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter<Msg, LWWMap<String, Entry>> replicator) -> {
          SelfUniqueAddress self = DistributedData.get(ctx.getSystem()).selfUniqueAddress();
          String address = Cluster.get(ctx.getSystem()).selfMember().address().toString();
          Entry mine = new Entry(memoryBytes, cpus);
          replicator.subscribe(KEY, Changed::new);
          replicator.askUpdate(r -> new Replicator.Update<>(KEY, LWWMap.empty(), Replicator.writeLocal(), r,
              m -> m.put(self, address, mine)), Written::new);
          // Until the replicated view arrives, the local node is known.
          view.set(List.of(new NodeCapacity(address, memoryBytes, cpus)));
          return Behaviors.receive(Msg.class)
              .onMessage(Changed.class, m -> {
                if (m.response() instanceof Replicator.Changed<LWWMap<String, Entry>> c) {
                  List<NodeCapacity> out = new ArrayList<>();
                  c.get(KEY).getEntries().forEach((a, e) -> out.add(new NodeCapacity(a, e.memoryBytes(), e.cpus())));
                  view.set(List.copyOf(out));
                }
                return Behaviors.same();
              })
              .onMessage(Written.class, m -> Behaviors.same())
              .build();
        }));
  }
}
