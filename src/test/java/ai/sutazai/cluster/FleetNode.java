package ai.sutazai.cluster;

import ai.sutazai.supervisor.protocol.SupervisorProtocol;

import ai.sutazai.app.SutazaiGuardian;
import ai.sutazai.fleet.FleetLoader;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.runtime.ContainerRuntime;
import ai.sutazai.supervisor.protocol.AgentStatus;
import ai.sutazai.supervisor.protocol.FleetStatus;
import ai.sutazai.supervisor.FleetSupervisor;
import ai.sutazai.supervisor.container.HostPressure;
import ai.sutazai.supervisor.protocol.PoolStatus;
import ai.sutazai.supervisor.settings.SupervisorSettings;
import akka.actor.Address;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.cluster.typed.Cluster;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One supervisor node of a test cluster in this JVM: its own ActorSystem "sutazai" on a loopback port,
 * the real guardian and fleet supervisor with the given runtime (its own engine, or a SimulatedRuntime),
 * the PostgreSQL journal shared by all nodes (SUTAZAI_DB_URL, user/password sutazai), joined to
 * {@code seeds}.
 */
final class FleetNode implements AutoCloseable {
  final ActorTestKit kit;
  final ActorRef<SupervisorProtocol.Command> supervisor;
  final Address address;
  final ContainerRuntime runtime;

  FleetNode(Path dir, Path fleetFile, int port, String seeds, ContainerRuntime runtime, String dockerHost,
      Map<String, Object> overrides) throws Exception {
    Map<String, Object> o = new HashMap<>();
    o.put("sutazai.persistence.db", "postgres");
    o.put("sutazai.persistence.postgres.url", ClusterTestSupport.postgresUrl());
    o.put("sutazai.cluster.seed-nodes", seeds);
    o.put("sutazai.docker.host", dockerHost);
    o.put("sutazai.quota.right-sizing.enabled", "off");
    o.put("sutazai.supervisor.restart.jitter", "0");
    o.putAll(overrides);
    Config conf = ClusterTestSupport.nodeConfig(dir, port, 0, o);
    FleetSpec fleet = FleetLoader.load(fleetFile, conf);
    this.runtime = runtime;
    this.kit = ActorTestKit.create("sutazai", conf);
    CompletableFuture<SutazaiGuardian.Started> started = new CompletableFuture<>();
    kit.spawn(SutazaiGuardian.create(new SutazaiGuardian.Inputs(fleet, runtime, SupervisorSettings.fromConfig(conf),
        HostPressure.fixed(false, 1), started)), "guardian");
    this.supervisor = started.get(60, TimeUnit.SECONDS).fleet();
    ClusterNode.join(kit.system(), conf);
    this.address = Cluster.get(kit.system()).selfMember().address();
  }

  /** "127.0.0.1:port" of this node, as seed-nodes takes it. */
  String hostPort() {
    return address.getHost().get() + ":" + address.getPort().get();
  }

  FleetStatus status() {
    TestProbe<FleetStatus> p = kit.createTestProbe();
    supervisor.tell(new SupervisorProtocol.GetStatus(p.getRef()));
    return p.receiveMessage(Duration.ofSeconds(10));
  }

  AgentStatus status(String agent) {
    return status().agents().stream().filter(a -> a.name().equals(agent)).findFirst().orElse(null);
  }

  List<PoolStatus> pools() {
    TestProbe<List<PoolStatus>> p = kit.createTestProbe();
    supervisor.tell(new SupervisorProtocol.GetPools(p.getRef()));
    return p.receiveMessage(Duration.ofSeconds(15));
  }

  boolean terminated() {
    return kit.system().getWhenTerminated().toCompletableFuture().isDone();
  }

  @Override
  public void close() {
    kit.shutdownTestKit();
  }
}
