package ai.sutazai.metrics;

import ai.sutazai.runtime.ContainerEvent;
import ai.sutazai.runtime.ContainerInfo;
import ai.sutazai.runtime.ContainerRuntime;
import ai.sutazai.runtime.ContainerSpec;
import ai.sutazai.runtime.ContainerStats;
import ai.sutazai.runtime.ExecResult;
import ai.sutazai.runtime.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A container runtime that serves a fixed list of containers and their stats; nothing else. */
class FakeRuntime implements ContainerRuntime {
  final List<ContainerInfo> containers = new CopyOnWriteArrayList<>();
  final List<String> statsThreads = new CopyOnWriteArrayList<>();

  static ContainerInfo container(String agent, String state, String health, int exitCode, int restarts) {
    return new ContainerInfo("id-" + agent, "sutazai-test-" + agent, "sutazai/busybox:local", state, health, exitCode,
        restarts, Instant.EPOCH, 256L << 20, 0.5,
        Map.of(Labels.MANAGED, "true", Labels.FLEET, "test", Labels.AGENT, agent));
  }

  @Override public void ping() {}
  @Override public List<ContainerInfo> listManaged(String fleet) {
    return containers.stream().filter(c -> fleet.equals(c.fleet())).toList();
  }
  @Override public List<ContainerInfo> listAllManaged() {
    return List.copyOf(containers);
  }
  @Override public ContainerStats stats(String containerId) {
    statsThreads.add(Thread.currentThread().getName());
    return new ContainerStats(containerId, 12.5, 100L << 20, 256L << 20);
  }
  @Override public String create(ContainerSpec spec) { throw new UnsupportedOperationException(); }
  @Override public void start(String containerId) { throw new UnsupportedOperationException(); }
  @Override public void stop(String containerId, Duration timeout) { throw new UnsupportedOperationException(); }
  @Override public void remove(String containerId) { throw new UnsupportedOperationException(); }
  @Override public Optional<ContainerInfo> inspect(String containerId) { throw new UnsupportedOperationException(); }
  @Override public ExecResult exec(String containerId, List<String> command, Duration timeout) { throw new UnsupportedOperationException(); }
  @Override public void updateLimits(String containerId, long memoryLimitBytes, double cpus) { throw new UnsupportedOperationException(); }
  @Override public AutoCloseable events(Consumer<ContainerEvent> onEvent, Consumer<Throwable> onError) { throw new UnsupportedOperationException(); }
  @Override public String describe() { return "fake"; }
  @Override public void close() {}
}
