package ai.sutazai.app;

import ai.sutazai.common.UserError;

import ai.sutazai.api.ManagementServer;
import ai.sutazai.api.ManagementSettings;
import ai.sutazai.api.live.LiveBackend;
import ai.sutazai.cluster.ClusterNode;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.front.AgentFront;
import ai.sutazai.front.FrontSettings;
import ai.sutazai.inference.InferenceModule;
import ai.sutazai.app.SupervisorGateway;
import ai.sutazai.inference.WorkerConfig;
import ai.sutazai.metrics.MetricsCollector;
import ai.sutazai.metrics.baseline.BaselineSettings;
import ai.sutazai.metrics.baseline.BaselineStore;
import ai.sutazai.runtime.ContainerRuntime;
import ai.sutazai.supervisor.container.HostPressure;
import ai.sutazai.supervisor.settings.SupervisorSettings;
import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The whole supervisor in one process: the actor system (a cluster node, of one unless seed nodes are
 * set), the fleet supervisor and metrics collector under the guardian, the Ollama-compatible inference
 * front (unless sutazai.inference.enabled is off), the management API with the dashboard, and Akka Management. {@code run} starts one.
 *
 * <p>Hazard: start-up binds several ports; a port in use fails the start with the setting to change.
 */
public final class Daemon implements AutoCloseable {
  private final ActorSystem<SutazaiGuardian.Command> system;
  private final SutazaiGuardian.Started rooms;
  private final InferenceModule.Handle inference;
  private final ManagementServer management;
  private final AgentFront.Handle front;

  private Daemon(ActorSystem<SutazaiGuardian.Command> system, SutazaiGuardian.Started rooms, InferenceModule.Handle inference,
      ManagementServer management, AgentFront.Handle front) {
    this.system = system;
    this.rooms = rooms;
    this.inference = inference;
    this.management = management;
    this.front = front;
  }

  /** Starts everything; blocks until every room runs (or throws a {@link UserError} naming what failed). */
  public static Daemon start(Config conf, FleetSpec fleet, ContainerRuntime runtime, List<String> extraWorkers) throws Exception {
    SupervisorSettings settings = SupervisorSettings.fromConfig(conf);
    BaselineSettings bs = BaselineSettings.fromConfig(conf);
    BaselineStore baselines = BaselineStore.open(bs.dbUrl(), bs.user(), bs.password(), bs.schema());
    String node = conf.getString("akka.remote.artery.canonical.hostname") + ":" + conf.getString("akka.remote.artery.canonical.port");
    MetricsCollector.Setup metrics = MetricsCollector.Setup.fromConfig(conf, runtime, baselines, node, fleet.name());
    CompletableFuture<SutazaiGuardian.Started> started = new CompletableFuture<>();
    ActorSystem<SutazaiGuardian.Command> system = ClusterNode.createSystem(
        SutazaiGuardian.create(new SutazaiGuardian.Inputs(fleet, runtime, settings, HostPressure.oshi(settings), metrics, started)),
        "sutazai", conf);
    try {
      SutazaiGuardian.Started rooms;
      try {
        rooms = started.get(120, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw journalUnusable(conf, e.getCause());
      }
      ClusterNode.startManagement(system).toCompletableFuture().get(60, TimeUnit.SECONDS);
      ClusterNode.join(system, conf);
      InferenceModule.Handle inference = null;
      SupervisorGateway gateway = new SupervisorGateway(fleet, rooms.fleet(), system);
      if (conf.getBoolean("sutazai.inference.enabled")) {
        inference = InferenceModule.start(system, conf, gateway)
            .toCompletableFuture().get(60, TimeUnit.SECONDS);
        int numParallel = conf.getInt("sutazai.inference.default-num-parallel");
        for (String url : extraWorkers) {
          inference.addWorker(WorkerConfig.fromUrl(url, numParallel)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
      } else if (!extraWorkers.isEmpty()) {
        throw new UserError("--worker given, but the inference router is off (sutazai.inference.enabled = false)");
      }
      FrontSettings frontSettings = FrontSettings.from(conf);
      AgentFront.Handle front = frontSettings.enabled()
          ? AgentFront.start(system, frontSettings, fleet, gateway.agentLink()).toCompletableFuture().get(60, TimeUnit.SECONDS)
          : null;
      LiveBackend backend = new LiveBackend(system, conf, fleet, runtime, rooms.fleet(), rooms.metrics(), baselines, inference);
      if (front != null) {
        backend.withHeldRequests(front.stats()::held);
      }
      ManagementServer management = ManagementServer.start(system, ManagementSettings.from(conf), backend)
          .toCompletableFuture().get(60, TimeUnit.SECONDS);
      return new Daemon(system, rooms, inference, management, front);
    } catch (Exception e) {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** The error `run` reports (exit status 3) when the guardian could not prepare the journal. */
  public static UserError journalUnusable(Config conf, Throwable cause) {
    return new UserError("cannot use the journal database (sutazai.persistence.db = "
        + conf.getString("sutazai.persistence.db") + "): " + cause.getMessage(), 3);
  }

  public ActorSystem<SutazaiGuardian.Command> system() {
    return system;
  }

  public SutazaiGuardian.Started rooms() {
    return rooms;
  }

  /** The inference front's port, or -1 when the router is off. */
  public int inferencePort() {
    return inference == null ? -1 : inference.port();
  }

  /** The agent front's port, or -1 when it is off (sutazai.gateway.enabled). */
  public int gatewayPort() {
    return front == null ? -1 : front.port();
  }

  /** The agent front, or null when it is off. */
  public AgentFront.Handle front() {
    return front;
  }

  public int managementPort() {
    return management.address().getPort();
  }

  /** Blocks until the actor system stops (SIGTERM runs coordinated shutdown). */
  public void awaitTermination() {
    system.getWhenTerminated().toCompletableFuture().join();
  }

  @Override
  public void close() throws Exception {
    try {
      management.stop(Duration.ofSeconds(2)).toCompletableFuture().get(10, TimeUnit.SECONDS);
      if (front != null) {
        front.stop(Duration.ofSeconds(2)).toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      if (inference != null) {
        inference.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
