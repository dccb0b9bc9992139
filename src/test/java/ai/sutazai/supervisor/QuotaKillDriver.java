package ai.sutazai.supervisor;

import ai.sutazai.supervisor.protocol.SupervisorProtocol;

import ai.sutazai.supervisor.container.HostPressure;
import ai.sutazai.supervisor.protocol.ActivationResult;
import ai.sutazai.supervisor.protocol.ActivationSource;
import ai.sutazai.supervisor.protocol.PoolStatus;
import ai.sutazai.supervisor.settings.SupervisorSettings;

import ai.sutazai.app.SutazaiGuardian;
import ai.sutazai.common.Settings;
import ai.sutazai.fleet.FleetLoader;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.runtime.ContainerRuntime;
import ai.sutazai.runtime.DockerRuntime;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.pattern.StatusReply;
import com.typesafe.config.Config;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Test helper run as its own process by QuotaRecoveryAfterKillTest: the real supervisor (as `sutazai run`
 * starts it), plus activation requests read from stdin ("activate NAME"), each answered on stdout once
 * acknowledged ("ack NAME OUTCOME POSITION"). The test kills it with SIGKILL.
 */
public final class QuotaKillDriver {
  private QuotaKillDriver() {}

  public static void main(String[] args) throws Exception {
    Config conf = Settings.load(Path.of(args[0]));
    FleetSpec fleet = FleetLoader.load(Path.of(args[1]), conf);
    SupervisorSettings settings = SupervisorSettings.fromConfig(conf);
    ContainerRuntime runtime = DockerRuntime.fromConfig(conf);
    CompletableFuture<SutazaiGuardian.Started> started = new CompletableFuture<>();
    ActorSystem<SutazaiGuardian.Command> system = ActorSystem.create(SutazaiGuardian.create(
        new SutazaiGuardian.Inputs(fleet, runtime, settings, HostPressure.fixed(false, 1), started)), "sutazai", conf);
    ai.sutazai.cluster.ClusterNode.join(system, conf); // a cluster of one, as `run` is
    SutazaiGuardian.Started s = started.get(60, TimeUnit.SECONDS);
    // Ready once the pool singleton answers (the node joined itself, the singleton started and recovered).
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (AskPattern.<SupervisorProtocol.Command, java.util.List<PoolStatus>>ask(s.fleet(), SupervisorProtocol.GetPools::new,
        Duration.ofSeconds(10), system.scheduler()).toCompletableFuture().get(15, TimeUnit.SECONDS).isEmpty()
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    System.out.println("ready");
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] w = line.trim().split("\\s+");
      if (w.length == 2 && w[0].equals("activate")) {
        StatusReply<ActivationResult> r = AskPattern.<SupervisorProtocol.Command, StatusReply<ActivationResult>>ask(s.fleet(),
            reply -> new SupervisorProtocol.Activate(w[1], ActivationSource.API, "driver", null, reply), Duration.ofSeconds(15),
            system.scheduler()).toCompletableFuture().get(20, TimeUnit.SECONDS);
        System.out.println("ack " + w[1] + " " + r.getValue().outcome() + " " + r.getValue().position());
        System.out.flush();
      }
    }
    system.terminate();
  }
}
