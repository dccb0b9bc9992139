package ai.sutazai.cluster;

import ai.sutazai.runtime.DockerClients;
import ai.sutazai.runtime.DockerRuntime;
import akka.actor.ActorSystem;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Akka Management readiness check (akka.management.health-checks.readiness-checks.docker): this node's
 * Docker engine ({@code sutazai.docker.host}, DOCKER_HOST honoured) answers a ping within
 * {@code sutazai.cluster.readiness.docker-timeout}.
 *
 * <p>The check keeps one client (created without contacting the engine) whose response timeout is the
 * check's timeout, and closes it when the ActorSystem terminates.
 */
public final class DockerReadinessCheck implements Supplier<CompletionStage<Boolean>> {
  private final BoundedCheck check;
  private final DockerRuntime runtime;

  /** Called by Akka Management with the classic ActorSystem. */
  public DockerReadinessCheck(ActorSystem system) {
    Config conf = system.settings().config();
    Duration timeout = conf.getDuration("sutazai.cluster.readiness.docker-timeout");
    String host = DockerClients.host(conf);
    this.runtime = DockerRuntime.create(host, timeout);
    this.check = new BoundedCheck(system, "Docker engine " + host, timeout);
    system.registerOnTermination(runtime::close);
  }

  @Override
  public CompletionStage<Boolean> get() {
    return check.run(runtime::ping);
  }
}
