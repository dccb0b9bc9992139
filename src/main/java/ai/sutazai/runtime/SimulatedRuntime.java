package ai.sutazai.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A SIMULATED container engine, in memory, for scale benchmarks ({@code sutazai bench supervisor}) and
 * unit tests only. Nothing runs: a "started" container is a map entry whose state says running. It is
 * never the default runtime and must never be presented as a real fleet.
 *
 * <p>It keeps the rules of {@link DockerRuntime}: containers carry the managed labels, create is
 * idempotent by name, and containers added with {@link #addUnmanaged} (standing in for someone else's)
 * are refused with {@link NotManagedException}. Thread-safe and cheap enough for 10,000+ containers:
 * state lives in concurrent maps of immutable records.
 *
 * <p>Hooks: {@link #crash} (emits a die event), {@link #setStartLatency}, {@link #setUsage},
 * {@link #setExecResult}, {@link #setAvailable} (an unreachable engine that breaks event streams).
 */
public final class SimulatedRuntime implements ContainerRuntime {
  private final Map<String, ContainerInfo> byId = new ConcurrentHashMap<>();
  private final Map<String, String> idByName = new ConcurrentHashMap<>();
  private final Map<String, ContainerStats> usage = new ConcurrentHashMap<>();
  private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();
  private volatile Duration startLatency = Duration.ZERO;
  private volatile ExecResult execResult = new ExecResult(0, "ok\n", false);
  private volatile boolean available = true;

  /** A fresh, empty simulated engine. */
  public static SimulatedRuntime create() {
    return new SimulatedRuntime();
  }

  private SimulatedRuntime() {}

  // ---- hooks for tests and benchmarks ----

  /** Every later {@link #start} blocks its caller this long, as a real engine's start would. */
  public void setStartLatency(Duration latency) {
    this.startLatency = latency;
  }

  /** What {@link #stats} reports for {@code containerId} from now on. */
  public void setUsage(String containerId, double cpuPercent, long memoryUsageBytes) {
    ContainerInfo info = byId.get(containerId);
    long limit = info == null ? 0 : info.memoryLimitBytes();
    usage.put(containerId, new ContainerStats(containerId, cpuPercent, memoryUsageBytes, limit));
  }

  /** What every later {@link #exec} returns. */
  public void setExecResult(ExecResult result) {
    this.execResult = result;
  }

  /** Makes the engine unreachable (every call throws, event streams break) or reachable again. */
  public void setAvailable(boolean available) {
    this.available = available;
    if (!available) {
      for (Subscription s : subscribers) {
        subscribers.remove(s);
        s.onError.accept(new RuntimeUnavailableException("simulated engine went away", null));
      }
    }
  }

  /** The running managed container exits with {@code exitCode}; subscribers see a die event. */
  public void crash(String containerId, int exitCode) {
    requireManaged(containerId);
    ContainerInfo stopped = transition(containerId, "exited", exitCode);
    if (stopped != null) {
      emit(stopped, "die", exitCode);
    }
  }

  /** Adds a running container WITHOUT the managed label, standing in for someone else's. */
  public String addUnmanaged(String name) {
    String id = newId();
    ContainerInfo info = new ContainerInfo(id, name, "other/image", "running", "none", 0, 0, Instant.now(), 0, 0,
        Map.of("owner", "someone-else"));
    String winner = idByName.computeIfAbsent(name, n -> {
      byId.put(id, info);
      return id;
    });
    if (!winner.equals(id)) {
      throw new IllegalArgumentException("a container named " + name + " exists");
    }
    return id;
  }

  /** How many containers exist, managed or not. */
  public int size() {
    return byId.size();
  }

  // ---- ContainerRuntime ----

  @Override
  public void ping() {
    checkAvailable();
  }

  @Override
  public List<ContainerInfo> listManaged(String fleet) {
    checkAvailable();
    List<ContainerInfo> result = new ArrayList<>();
    for (ContainerInfo info : byId.values()) {
      if (isManaged(info) && fleet.equals(info.fleet())) {
        result.add(info);
      }
    }
    return result;
  }

  @Override
  public List<ContainerInfo> listAllManaged() {
    checkAvailable();
    return byId.values().stream().filter(SimulatedRuntime::isManaged).toList();
  }

  @Override
  public String create(ContainerSpec spec) {
    checkAvailable();
    Map<String, String> labels = new HashMap<>(spec.extraLabels());
    labels.put(Labels.MANAGED, "true");
    labels.put(Labels.FLEET, spec.fleet());
    labels.put(Labels.AGENT, spec.agent());
    String fresh = newId();
    // atomic per name: the container is in byId before its name maps to it, and only one caller wins
    String id = idByName.computeIfAbsent(spec.name(), name -> {
      byId.put(fresh, new ContainerInfo(fresh, name, spec.image(), "created", "none", 0, 0, Instant.EPOCH,
          spec.memoryLimitBytes(), spec.cpus(), Map.copyOf(labels)));
      return fresh;
    });
    if (!id.equals(fresh)) {
      ContainerInfo other = byId.get(id);
      if (other == null || !isManaged(other)) {
        throw new NotManagedException(spec.name());
      }
      if (!spec.fleet().equals(other.fleet()) || !spec.agent().equals(other.agent())) {
        throw new ContainerOperationException("create", spec.name(),
            "the name is taken by agent " + other.agent() + " of fleet " + other.fleet(), null);
      }
    }
    return id;
  }

  @Override
  public void start(String containerId) {
    ContainerInfo info = requireManaged(containerId);
    if (info.running()) {
      return;
    }
    Duration latency = startLatency;
    if (!latency.isZero()) {
      LockSupport.parkNanos(latency.toNanos()); // simulated engine work, not synchronisation
    }
    ContainerInfo started = transition(containerId, "running", 0);
    if (started != null) {
      emit(started, "start", -1);
    }
  }

  @Override
  public void stop(String containerId, Duration timeout) {
    Optional<ContainerInfo> info = managedOrAbsent(containerId);
    ContainerInfo stopped = info.isEmpty() ? null : transition(containerId, "exited", 0);
    if (stopped != null) {
      emit(stopped, "die", 0);
      emit(stopped, "stop", -1);
    }
  }

  @Override
  public void remove(String containerId) {
    Optional<ContainerInfo> info = managedOrAbsent(containerId);
    if (info.isEmpty()) {
      return;
    }
    byId.remove(containerId);
    idByName.remove(info.get().name(), containerId);
    usage.remove(containerId);
    emit(info.get(), "destroy", -1);
  }

  @Override
  public Optional<ContainerInfo> inspect(String containerId) {
    return managedOrAbsent(containerId);
  }

  @Override
  public ExecResult exec(String containerId, List<String> command, Duration timeout) {
    ContainerInfo info = requireManaged(containerId);
    if (!info.running()) {
      throw new ContainerOperationException("exec", containerId, "container is not running", null);
    }
    return execResult;
  }

  @Override
  public void updateLimits(String containerId, long memoryLimitBytes, double cpus) {
    requireManaged(containerId);
    byId.computeIfPresent(containerId, (id, info) -> new ContainerInfo(info.id(), info.name(), info.image(),
        info.state(), info.health(), info.exitCode(), info.restartCount(), info.startedAt(),
        memoryLimitBytes > 0 ? memoryLimitBytes : info.memoryLimitBytes(), cpus > 0 ? cpus : info.cpus(),
        info.labels()));
  }

  @Override
  public ContainerStats stats(String containerId) {
    ContainerInfo info = requireManaged(containerId);
    ContainerStats configured = usage.get(containerId);
    if (configured == null) {
      return new ContainerStats(containerId, 0, 0, info.memoryLimitBytes());
    }
    return new ContainerStats(containerId, configured.cpuPercent(), configured.memoryUsageBytes(),
        info.memoryLimitBytes());
  }

  @Override
  public AutoCloseable events(Consumer<ContainerEvent> onEvent, Consumer<Throwable> onError) {
    checkAvailable();
    Subscription subscription = new Subscription(onEvent, onError);
    subscribers.add(subscription);
    return () -> subscribers.remove(subscription);
  }

  @Override
  public String describe() {
    return "simulated (in-memory, nothing runs)";
  }

  @Override
  public void close() {
    subscribers.clear();
  }

  private record Subscription(Consumer<ContainerEvent> onEvent, Consumer<Throwable> onError) {}

  private void emit(ContainerInfo info, String action, int exitCode) {
    ContainerEvent event = new ContainerEvent(info.id(), info.agent(), info.fleet(), action, exitCode, Instant.now());
    for (Subscription s : subscribers) {
      s.onEvent.accept(event);
    }
  }

  private ContainerInfo requireManaged(String containerId) {
    return managedOrAbsent(containerId).orElseThrow(() ->
        new ContainerOperationException("inspect", containerId, "no such container", null));
  }

  private Optional<ContainerInfo> managedOrAbsent(String containerId) {
    checkAvailable();
    ContainerInfo info = byId.get(containerId);
    if (info == null && idByName.containsKey(containerId)) {
      info = byId.get(idByName.get(containerId)); // names work wherever ids do, as with Docker
    }
    if (info != null && !isManaged(info)) {
      throw new NotManagedException(containerId);
    }
    return Optional.ofNullable(info);
  }

  private void checkAvailable() {
    if (!available) {
      throw new RuntimeUnavailableException("simulated engine is unavailable (setAvailable(false))", null);
    }
  }

  private static boolean isManaged(ContainerInfo info) {
    return "true".equals(info.labels().get(Labels.MANAGED));
  }

  /**
   * Atomically moves a container between running and not running; returns the new view, or null when
   * it was already in that state (or is gone), so that concurrent callers emit one event, not two.
   */
  private ContainerInfo transition(String containerId, String state, int exitCode) {
    boolean toRunning = "running".equals(state);
    ContainerInfo[] changed = new ContainerInfo[1];
    byId.computeIfPresent(containerId, (id, info) -> {
      if (info.running() == toRunning) {
        return info;
      }
      changed[0] = new ContainerInfo(info.id(), info.name(), info.image(), state, info.health(), exitCode,
          info.restartCount(), toRunning ? Instant.now() : info.startedAt(), info.memoryLimitBytes(), info.cpus(),
          info.labels());
      return changed[0];
    });
    return changed[0];
  }

  private static String newId() {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    return Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
  }
}
