package ai.sutazai.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.testsupport.DockerTestSupport;
import com.github.dockerjava.api.command.InspectContainerResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** DockerRuntime against the real engine (DOCKER_HOST); fails when the engine is missing. */
class DockerRuntimeTest {
  @RegisterExtension static final DockerTestSupport docker = new DockerTestSupport();

  private static final Duration QUICK = Duration.ofSeconds(1);

  @Test
  void createStartInspectStopRemove() {
    ContainerRuntime runtime = docker.runtime();
    String id = runtime.create(docker.spec("life", "sleep", "300"));
    assertEquals("created", runtime.inspect(id).orElseThrow().state());

    runtime.start(id);
    ContainerInfo running = runtime.inspect(id).orElseThrow();
    assertTrue(running.running());
    assertEquals(docker.containerName("life"), running.name());
    assertEquals("life", running.agent());
    assertEquals(docker.fleet(), running.fleet());
    assertEquals(List.of(id), runtime.listManaged(docker.fleet()).stream().map(ContainerInfo::id).toList());

    runtime.stop(id, QUICK);
    assertEquals("exited", runtime.inspect(id).orElseThrow().state());
    runtime.remove(id);
    assertEquals(Optional.empty(), runtime.inspect(id));
    assertTrue(runtime.listManaged(docker.fleet()).isEmpty());
  }

  @Test
  void startStopAndRemoveAreNoOpsWhenAlreadyDone() {
    ContainerRuntime runtime = docker.runtime();
    String id = docker.startManaged("noop", "sleep", "300");
    runtime.start(id); // already running: 304
    assertTrue(docker.isRunning(id));
    runtime.stop(id, QUICK);
    runtime.stop(id, QUICK); // already stopped: 304
    runtime.remove(id);
    runtime.remove(id); // gone
    runtime.stop(id, QUICK); // gone
    assertFalse(docker.exists(id));
  }

  @Test
  void createIsIdempotentByName() {
    ContainerRuntime runtime = docker.runtime();
    String first = runtime.create(docker.spec("same", "sleep", "300"));
    String second = runtime.create(docker.spec("same", "sleep", "300"));
    assertEquals(first, second);
    assertEquals(1, runtime.listManaged(docker.fleet()).size());
  }

  @Test
  void createSetsLabelsLimitsHostNetworkAndNoRestartPolicy() {
    ContainerSpec spec = new ContainerSpec(docker.containerName("lim"), docker.fleet(), "lim", DockerTestSupport.IMAGE,
        List.of("sleep", "300"), Map.of("A", "1"), DockerTestSupport.MEMORY_LIMIT_BYTES,
        DockerTestSupport.MEMORY_RESERVATION_BYTES, 0.5, true,
        Map.of(Labels.SPEC_HASH, "abc", Labels.MANAGED, "false"));
    String id = docker.runtime().create(spec);

    InspectContainerResponse raw = docker.client().inspectContainerCmd(id).exec();
    Map<String, String> labels = raw.getConfig().getLabels();
    assertEquals("true", labels.get(Labels.MANAGED), "extra labels cannot override the managed label");
    assertEquals(docker.fleet(), labels.get(Labels.FLEET));
    assertEquals("lim", labels.get(Labels.AGENT));
    assertEquals("abc", labels.get(Labels.SPEC_HASH));
    assertEquals(DockerTestSupport.MEMORY_LIMIT_BYTES, raw.getHostConfig().getMemory());
    assertEquals(DockerTestSupport.MEMORY_RESERVATION_BYTES, raw.getHostConfig().getMemoryReservation());
    assertEquals(500_000_000L, raw.getHostConfig().getNanoCPUs());
    assertEquals("host", raw.getHostConfig().getNetworkMode());
    String restart = raw.getHostConfig().getRestartPolicy() == null ? ""
        : String.valueOf(raw.getHostConfig().getRestartPolicy().getName());
    assertTrue(restart.isEmpty() || restart.equals("no") || restart.equals("null"), "restart policy: " + restart);
    assertTrue(List.of(raw.getConfig().getEnv()).contains("A=1"));

    ContainerInfo info = docker.runtime().inspect(id).orElseThrow();
    assertEquals(DockerTestSupport.MEMORY_LIMIT_BYTES, info.memoryLimitBytes());
    assertEquals(0.5, info.cpus(), 1e-9);
  }

  @Test
  void noNetworkWhenHostNetworkIsOff() {
    ContainerSpec spec = new ContainerSpec(docker.containerName("nonet"), docker.fleet(), "nonet",
        DockerTestSupport.IMAGE, List.of("sleep", "300"), Map.of(), 0, 0, 0, false, Map.of());
    String id = docker.runtime().create(spec);
    assertEquals("none", docker.client().inspectContainerCmd(id).exec().getHostConfig().getNetworkMode());
  }

  @Test
  void hostNetworkContainerServesOnLoopback() throws Exception {
    int port = DockerTestSupport.freePort();
    docker.startManaged("web", "httpd", "-f", "-p", "127.0.0.1:" + port, "-h", "/www");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
        .timeout(Duration.ofSeconds(2)).build();
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
        http.send(request, HttpResponse.BodyHandlers.ofString()).body().trim().equals("ok"));
  }

  @Test
  void eventsReportDieWithExitCode() throws Exception {
    List<ContainerEvent> events = new CopyOnWriteArrayList<>();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    try (AutoCloseable subscription = docker.runtime().events(events::add, errors::add)) {
      String id = docker.startManaged("crash", "sh", "-c", "exit 3");
      await().atMost(Duration.ofSeconds(15)).until(() -> events.stream()
          .anyMatch(e -> e.containerId().equals(id) && e.action().equals("die")));
      ContainerEvent die = events.stream().filter(e -> e.containerId().equals(id) && e.action().equals("die"))
          .findFirst().orElseThrow();
      assertEquals(3, die.exitCode());
      assertEquals("crash", die.agent());
      assertEquals(docker.fleet(), die.fleet());
      assertEquals(3, docker.runtime().inspect(id).orElseThrow().exitCode());
    }
    assertTrue(errors.isEmpty(), "closing the subscription is not an error: " + errors);
  }

  @Test
  void execReturnsOutputAndExitCode() {
    String id = docker.startManaged("exec", "sleep", "300");
    ExecResult result = docker.runtime().exec(id, List.of("sh", "-c", "echo hello; exit 4"), Duration.ofSeconds(10));
    assertFalse(result.timedOut());
    assertEquals(4, result.exitCode());
    assertEquals("hello", result.output().trim());
    assertEquals("ok", docker.runtime().exec(id, List.of("cat", "/www/health"), Duration.ofSeconds(10)).output().trim());
  }

  @Test
  void execTimesOut() {
    String id = docker.startManaged("slow", "sleep", "300");
    ExecResult result = docker.runtime().exec(id, List.of("sleep", "30"), Duration.ofMillis(500));
    assertTrue(result.timedOut());
  }

  @Test
  void updateLimitsChangesMemoryAndCpu() {
    String id = docker.startManaged("grow", "sleep", "300");
    long bigger = 96L * 1024 * 1024;
    docker.runtime().updateLimits(id, bigger, 0.25);
    InspectContainerResponse raw = docker.client().inspectContainerCmd(id).exec();
    assertEquals(bigger, raw.getHostConfig().getMemory());
    assertEquals(250_000_000L, raw.getHostConfig().getNanoCPUs());
    ContainerInfo info = docker.runtime().inspect(id).orElseThrow();
    assertEquals(bigger, info.memoryLimitBytes());
    assertEquals(0.25, info.cpus(), 1e-9);
  }

  @Test
  void statsReturnsASample() {
    String id = docker.startManaged("stats", "sleep", "300");
    ContainerStats stats = docker.runtime().stats(id);
    assertEquals(id, stats.containerId());
    assertEquals(DockerTestSupport.MEMORY_LIMIT_BYTES, stats.memoryLimitBytes());
    assertTrue(stats.memoryUsageBytes() > 0, "memory in use: " + stats.memoryUsageBytes());
    assertTrue(stats.cpuPercent() >= 0 && stats.cpuPercent() <= 100 * Runtime.getRuntime().availableProcessors() + 1,
        "cpu: " + stats.cpuPercent());
  }

  @Test
  void statsCarryTheContainersCumulativeCpuTime() {
    String id = docker.startManaged("cpu-total", "sh", "-c", "while :; do :; done");
    double first = docker.runtime().stats(id).cpuSecondsTotal();
    assertTrue(first >= 0, "cumulative CPU seconds: " + first);
    // A busy loop: the engine's counter grows between two samples (a gauge of the moment would not have to).
    await().atMost(Duration.ofSeconds(30)).until(() -> docker.runtime().stats(id).cpuSecondsTotal() > first + 0.05);
  }

  @Test
  void operationErrorsNameTheContainerAndOperation() {
    ContainerOperationException e = assertThrows(ContainerOperationException.class,
        () -> docker.runtime().start("no-such-container-" + docker.fleet()));
    assertTrue(e.getMessage().contains("start no-such-container-" + docker.fleet()), e.getMessage());

    ContainerSpec badImage = new ContainerSpec(docker.containerName("img"), docker.fleet(), "img",
        "sutazai/no-such-image:none", List.of(), Map.of(), 0, 0, 0, false, Map.of());
    ContainerOperationException create = assertThrows(ContainerOperationException.class,
        () -> docker.runtime().create(badImage));
    assertTrue(create.getMessage().startsWith("create " + docker.containerName("img")), create.getMessage());
  }

  @Test
  void pingNamesTheHostWhenTheEngineIsMissing() {
    String host = "unix:///nonexistent/sutazai-test/docker.sock";
    try (DockerRuntime missing = DockerRuntime.create(host, Duration.ofSeconds(2))) {
      RuntimeUnavailableException e = assertThrows(RuntimeUnavailableException.class, missing::ping);
      assertTrue(e.getMessage().contains(host), e.getMessage());
    }
  }

  @Test
  void eventStreamReportsABrokenEngineOnce() {
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    String host = "unix:///nonexistent/sutazai-test/docker.sock";
    try (DockerRuntime missing = DockerRuntime.create(host, Duration.ofSeconds(2))) {
      AutoCloseable subscription;
      try {
        subscription = missing.events(e -> { }, errors::add);
      } catch (RuntimeUnavailableException e) {
        return; // failing at once is as good as failing through onError
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> !errors.isEmpty());
      assertTrue(errors.get(0) instanceof RuntimeUnavailableException, errors.toString());
      assertTrue(errors.get(0).getMessage().contains(host), errors.get(0).getMessage());
      assertEquals(1, errors.size());
      try {
        subscription.close();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void fromConfigReadsTheDockerHost() {
    try (DockerRuntime fromConfig = DockerRuntime.fromConfig(docker.config())) {
      fromConfig.ping();
      assertEquals("docker " + docker.host(), fromConfig.describe());
    }
  }
}
