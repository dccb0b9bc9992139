package ai.sutazai.testsupport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import ai.sutazai.common.Settings;
import ai.sutazai.runtime.ContainerSpec;
import ai.sutazai.runtime.DockerClients;
import ai.sutazai.runtime.DockerRuntime;
import ai.sutazai.runtime.Labels;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension for tests that need the real Docker engine. Register it once per test class:
 *
 * <pre>{@code
 * @RegisterExtension static final DockerTestSupport docker = new DockerTestSupport();
 *
 * @Test void something() {
 *   String id = docker.startManaged("web", "sleep", "300");   // labelled, in this test's own fleet
 *   String other = docker.startUnrelated("sleep", "300");     // NOT labelled: must stay untouched
 *   docker.runtime().stop(id, Duration.ofSeconds(1));
 * }
 * }</pre>
 *
 * <ul>
 *   <li>The engine is {@code DOCKER_HOST} (default {@code unix:///var/run/docker.sock}). When it does not
 *       answer, or the image {@value #IMAGE} is missing, the test FAILS with a hint naming the script to
 *       run; it never skips.
 *   <li>Every test gets its own fleet name {@link #fleet()} ({@code t-<random>}), so tests never collide
 *       with each other or with a running demo. After each test, the managed containers of that fleet
 *       and the unrelated containers started through {@link #startUnrelated} are removed, by exact label
 *       or id: nothing else on the engine is touched. After the last test of the class, the fleets of all
 *       its tests are swept again until none of their containers has appeared for a while (a container
 *       a shut-down supervisor was still creating lands late; see {@link #afterAll}).
 *   <li>{@link #client()} is a plain docker-java client for checking what the engine really did, and for
 *       setting up scenes the runtime refuses to make (an unrelated container).
 *   <li>Containers use host networking or none; nothing here creates a Docker network.
 * </ul>
 */
public final class DockerTestSupport
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

  /** The busybox image built by cluster/dev/busybox-image.sh: sh, httpd, nc, sleep, wget; /www/health = "ok". */
  public static final String IMAGE = "sutazai/busybox:local";
  /** Memory limit of the containers made by {@link #spec}: 64 MiB. */
  public static final long MEMORY_LIMIT_BYTES = 64L * 1024 * 1024;
  /** Memory reservation of the containers made by {@link #spec}: 32 MiB. */
  public static final long MEMORY_RESERVATION_BYTES = 32L * 1024 * 1024;
  /** CPU limit of the containers made by {@link #spec}, in cores. */
  public static final double CPUS = 0.5;

  private static final Duration API_TIMEOUT = Duration.ofSeconds(30);

  private String host;
  private DockerClient client;
  private DockerRuntime runtime;
  private String fleet;
  /** The fleet names handed out to the tests of the class, swept again in {@link #afterAll}. */
  private final Set<String> fleets = new LinkedHashSet<>();
  private final List<String> unrelated = new ArrayList<>();
  /** How long no container of the class's fleets may appear before the final sweep ends. */
  private static final Duration QUIET = Duration.ofSeconds(2);

  /** The engine address the tests use, from DOCKER_HOST. */
  public static String dockerHost() {
    String env = System.getenv("DOCKER_HOST");
    return env == null || env.isBlank() ? "unix:///var/run/docker.sock" : env;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    connect();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    connect();
    fleet = "t-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    fleets.add(fleet);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    cleanUp();
  }

  /**
   * Sweeps the fleets of all the class's tests until none of their containers has appeared for {@link #QUIET},
   * then closes the clients. Why: a supervisor's container actors call the engine on a blocking dispatcher,
   * whose queued calls still run after the test's actor system has shut down, so a container create can land
   * after the clean-up of its test listed the fleet, and stay behind (seen as {@code t-…} fleets with agents
   * {@code a1}, {@code holder}). Sweeping after each test as well keeps tests apart; this catches the late ones.
   */
  @Override
  public void afterAll(ExtensionContext context) {
    try {
      if (client != null && !fleets.isEmpty()) {
        await().pollInterval(Duration.ofMillis(250)).during(QUIET).atMost(Duration.ofSeconds(60))
            .until(() -> removeFleets(fleets) == 0);
      }
    } finally {
      fleets.clear();
      if (runtime != null) {
        runtime.close();
      }
      if (client != null) {
        try {
          client.close();
        } catch (IOException ignored) {
          // the engine went away; nothing left to release
        }
      }
      runtime = null;
      client = null;
    }
  }

  private void connect() {
    if (client != null) {
      return;
    }
    host = dockerHost();
    client = DockerClients.create(host, API_TIMEOUT);
    try {
      client.pingCmd().exec();
    } catch (RuntimeException e) {
      client = null;
      fail("Docker engine not reachable at " + host + " (" + e.getMessage() + "); run cluster/dev/docker-engine.sh "
          + "and export the DOCKER_HOST it prints (eval \"$(cluster/dev/docker-engine.sh)\")");
    }
    try {
      client.inspectImageCmd(IMAGE).exec();
    } catch (NotFoundException e) {
      fail("image " + IMAGE + " not found on the engine at " + host + "; run cluster/dev/busybox-image.sh");
    }
    runtime = DockerRuntime.create(host, API_TIMEOUT);
  }

  /** The engine address in use. */
  public String host() {
    return host;
  }

  /** A plain docker-java client, for checks and for unrelated containers. */
  public DockerClient client() {
    return client;
  }

  /** A {@link DockerRuntime} on the test engine, shared by the tests of the class. */
  public DockerRuntime runtime() {
    return runtime;
  }

  /** This test's own fleet name, {@code t-<random>}. */
  public String fleet() {
    return fleet;
  }

  /** A config pointing {@code sutazai.docker.*} at the test engine, over the project's configuration. */
  public Config config() {
    return Settings.load(null, Settings.of(Map.of("sutazai.docker.host", host, "sutazai.docker.api-timeout", "30s")));
  }

  /** The container name the spec of {@code agent} gets: {@code sutazai-<fleet>-<agent>}. */
  public String containerName(String agent) {
    return "sutazai-" + fleet + "-" + agent;
  }

  /** A spec in this test's fleet: busybox, host network, 64 MiB (32 MiB reserved), 0.5 CPU. */
  public ContainerSpec spec(String agent, String... command) {
    return new ContainerSpec(containerName(agent), fleet, agent, IMAGE, List.of(command), Map.of("AGENT", agent),
        MEMORY_LIMIT_BYTES, MEMORY_RESERVATION_BYTES, CPUS, true, Map.of());
  }

  /** Creates and starts a managed container of this test's fleet through the runtime; returns its id. */
  public String startManaged(String agent, String... command) {
    String id = runtime.create(spec(agent, command));
    runtime.start(id);
    return id;
  }

  /**
   * Creates and starts a container WITHOUT the sutazai labels, with plain docker-java (no network), the
   * way someone else's container would be; returns its id. It is removed after the test.
   */
  public String startUnrelated(String... command) {
    String id = createUnrelated(command);
    client.startContainerCmd(id).exec();
    return id;
  }

  /** As {@link #startUnrelated} but only created, not started. */
  public String createUnrelated(String... command) {
    String id = client.createContainerCmd(IMAGE)
        .withName("t-unrelated-" + UUID.randomUUID().toString().substring(0, 8))
        .withCmd(command)
        .withLabels(Map.of("owner", "someone-else"))
        .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none"))
        .exec().getId();
    unrelated.add(id);
    return id;
  }

  /** Whether the engine reports the container as running (plain docker-java, no label check). */
  public boolean isRunning(String containerId) {
    return Boolean.TRUE.equals(client.inspectContainerCmd(containerId).exec().getState().getRunning());
  }

  /** Whether the container still exists (plain docker-java, no label check). */
  public boolean exists(String containerId) {
    try {
      client.inspectContainerCmd(containerId).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  /** A free TCP port on 127.0.0.1 (bound to port 0 and released). */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void cleanUp() {
    if (client == null) {
      return;
    }
    removeFleets(Set.of(fleet));
    for (String id : unrelated) {
      removeQuietly(id);
    }
    unrelated.clear();
  }

  /** Removes the managed containers of {@code names} (by exact fleet label); how many there were. */
  private int removeFleets(Set<String> names) {
    List<Container> managed = client.listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(Labels.MANAGED, "true")).exec();
    int removed = 0;
    for (Container c : managed) {
      if (c.getLabels() != null && names.contains(c.getLabels().get(Labels.FLEET))) {
        removeQuietly(c.getId());
        removed++;
      }
    }
    return removed;
  }

  private void removeQuietly(String id) {
    try {
      client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException ignored) {
      // already gone
    }
  }
}
