package ai.sutazai.supervisor.placement;

import ai.sutazai.cluster.ClusterTestSupport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.supervisor.placement.ClusterPlacement.Demand;
import ai.sutazai.supervisor.placement.ClusterPlacement.NodeCapacity;
import akka.actor.ActorRef;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.javadsl.Adapter;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Await;

/** The sharding adapter on real region refs of two nodes (two ActorSystems with remoting on free ports). */
class CapacityAllocationStrategyTest {
  private static final long GIB = 1024L * 1024 * 1024;
  @TempDir Path dir;
  private ActorTestKit nodeA;
  private ActorTestKit nodeB;

  @AfterEach
  void shutDown() {
    if (nodeA != null) {
      nodeA.shutdownTestKit();
    }
    if (nodeB != null) {
      nodeB.shutdownTestKit();
    }
  }

  @Test
  void allocatesToTheRegionOfTheNodeWithRoomAndMovesNoShardNotKnownIdle() throws Exception {
    nodeA = ActorTestKit.create("sutazai", ClusterTestSupport.nodeConfig(dir.resolve("a"), 0, 0, Map.of()));
    nodeB = ActorTestKit.create("sutazai", ClusterTestSupport.nodeConfig(dir.resolve("b"), 0, 0, Map.of()));
    // A's own region is a local ref; B's is seen from A as a remote ref, as the coordinator sees it.
    ActorRef regionA = Adapter.toClassic(nodeA.<String>createTestProbe().getRef());
    String remote = ActorRefResolver.get(nodeB.system()).toSerializationFormat(nodeB.<String>createTestProbe().getRef());
    ActorRef regionB = Adapter.toClassic(ActorRefResolver.get(nodeA.system()).<String>resolveActorRef(remote));
    String addressA = nodeA.system().address().toString();
    String addressB = nodeB.system().address().toString();

    Map<String, Demand> demands = Map.of("big-1", new Demand(6 * GIB, 1), "small", new Demand(GIB, 1),
        "big-2", new Demand(6 * GIB, 1), "big-3", new Demand(6 * GIB, 1));
    List<NodeCapacity> capacities = List.of(new NodeCapacity(addressA, 8 * GIB, 4), new NodeCapacity(addressB, 8 * GIB, 4));
    CapacityAllocationStrategy strategy = new CapacityAllocationStrategy(() -> capacities,
        shard -> demands.getOrDefault(shard, Demand.NONE));
    strategy.start(Adapter.toClassic(nodeA.system()));

    Map<ActorRef, IndexedSeq<String>> current = new HashMap<>();
    current.put(regionA, shards("big-1"));
    current.put(regionB, shards());
    assertEquals(regionB, allocate(strategy, regionA, "small", current), "B has 8 GiB free, A 2");
    current.put(regionB, shards("big-2"));
    ActorRef smallerAddress = addressA.compareTo(addressB) < 0 ? regionA : regionB;
    assertEquals(smallerAddress, allocate(strategy, regionA, "small", current), "a tie goes to the smaller address");
    current.put(regionB, shards("big-2", "small"));
    assertEquals(regionA, allocate(strategy, regionB, "big-3", current),
        "fits nowhere: over-commit the node with the most memory left (A: -4 GiB, B: -5 GiB)");
    assertTrue(Await.result(strategy.rebalance(current, java.util.Set.of()),
        scala.concurrent.duration.Duration.create(1, "s")).isEmpty(), "a shard whose agents are not known idle never moves");
  }

  /**
   * Nodes of a cluster that starts together: B's region has registered, but B's capacity (replicated
   * through Distributed Data) has not reached the coordinator's node yet. Placing now would pile every
   * shard onto A, the only node known; the strategy defers instead, and places by capacity once it is known.
   */
  @Test
  void waitsForTheCapacityOfAnUpNodeBeforePlacing() throws Exception {
    Map<String, Object> one = Map.of("akka.cluster.min-nr-of-members", 1);
    nodeA = ActorTestKit.create("sutazai", ClusterTestSupport.nodeConfig(dir.resolve("a"), 0, 0, one));
    nodeB = ActorTestKit.create("sutazai", ClusterTestSupport.nodeConfig(dir.resolve("b"), 0, 0, one));
    Cluster clusterA = Cluster.get(nodeA.system());
    clusterA.manager().tell(Join.create(clusterA.selfMember().address()));
    Cluster.get(nodeB.system()).manager().tell(Join.create(clusterA.selfMember().address()));
    await().atMost(Duration.ofSeconds(30)).until(() -> java.util.stream.StreamSupport.stream(
        clusterA.state().getMembers().spliterator(), false).filter(m -> m.status() == MemberStatus.up()).count() == 2);
    ActorRef regionA = Adapter.toClassic(nodeA.<String>createTestProbe().getRef());
    String remote = ActorRefResolver.get(nodeB.system()).toSerializationFormat(nodeB.<String>createTestProbe().getRef());
    ActorRef regionB = Adapter.toClassic(ActorRefResolver.get(nodeA.system()).<String>resolveActorRef(remote));
    String addressA = nodeA.system().address().toString();
    String addressB = nodeB.system().address().toString();
    AtomicReference<List<NodeCapacity>> capacities = new AtomicReference<>(List.of(new NodeCapacity(addressA, 8 * GIB, 4)));
    CapacityAllocationStrategy strategy = new CapacityAllocationStrategy(capacities::get, shard -> new Demand(GIB, 1));
    strategy.start(Adapter.toClassic(nodeA.system()));
    Map<ActorRef, IndexedSeq<String>> current = new HashMap<>();
    current.put(regionA, shards("1"));
    current.put(regionB, shards());

    CapacityAllocationStrategy.RegionPending deferred = assertThrows(CapacityAllocationStrategy.RegionPending.class,
        () -> allocate(strategy, regionA, "2", current));
    assertTrue(deferred.getMessage().contains(addressB), deferred.getMessage());
    capacities.set(List.of(new NodeCapacity(addressA, 8 * GIB, 4), new NodeCapacity(addressB, 8 * GIB, 4)));
    assertEquals(regionB, allocate(strategy, regionA, "2", current), "B's capacity known: the node with more room");
  }

  private static ActorRef allocate(CapacityAllocationStrategy s, ActorRef requester, String shard,
      Map<ActorRef, IndexedSeq<String>> current) throws Exception {
    return Await.result(s.allocateShard(requester, shard, current), scala.concurrent.duration.Duration.create(1, "s"));
  }

  private static IndexedSeq<String> shards(String... ids) {
    return scala.jdk.javaapi.CollectionConverters.asScala(List.of(ids)).toIndexedSeq();
  }
}
