package ai.sutazai.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SimulatedRuntimeTest {
  private static ContainerSpec spec(String fleet, String agent) {
    return new ContainerSpec("sutazai-" + fleet + "-" + agent, fleet, agent, "img", List.of(), Map.of(),
        64L << 20, 32L << 20, 0.5, true, Map.of(Labels.SPEC_HASH, "h"));
  }

  @Test
  void lifecycleWithLabelsAndLimits() {
    SimulatedRuntime runtime = SimulatedRuntime.create();
    String id = runtime.create(spec("f", "a"));
    ContainerInfo created = runtime.inspect(id).orElseThrow();
    assertEquals("created", created.state());
    assertEquals("true", created.labels().get(Labels.MANAGED));
    assertEquals("a", created.agent());
    assertEquals("f", created.fleet());
    assertEquals("h", created.labels().get(Labels.SPEC_HASH));
    assertEquals(64L << 20, created.memoryLimitBytes());

    runtime.start(id);
    assertTrue(runtime.inspect(id).orElseThrow().running());
    runtime.stop(id, Duration.ZERO);
    assertEquals("exited", runtime.inspect(id).orElseThrow().state());
    runtime.stop(id, Duration.ZERO);
    runtime.remove(id);
    runtime.remove(id);
    assertTrue(runtime.inspect(id).isEmpty());
  }

  @Test
  void createIsIdempotentByNameAndRefusesOtherOwners() {
    SimulatedRuntime runtime = SimulatedRuntime.create();
    String id = runtime.create(spec("f", "a"));
    assertEquals(id, runtime.create(spec("f", "a")));
    assertEquals(1, runtime.listManaged("f").size());

    runtime.addUnmanaged("sutazai-f-b");
    assertThrows(NotManagedException.class, () -> runtime.create(spec("f", "b")));
    ContainerSpec otherFleetSameName = new ContainerSpec("sutazai-f-a", "g", "a", "img", List.of(), Map.of(),
        0, 0, 0, true, Map.of());
    assertThrows(ContainerOperationException.class, () -> runtime.create(otherFleetSameName));
  }

  @Test
  void unmanagedContainersAreRefusedAndNeverListed() {
    SimulatedRuntime runtime = SimulatedRuntime.create();
    String other = runtime.addUnmanaged("someone-elses");
    String ours = runtime.create(spec("f", "a"));
    assertThrows(NotManagedException.class, () -> runtime.stop(other, Duration.ZERO));
    assertThrows(NotManagedException.class, () -> runtime.remove(other));
    assertThrows(NotManagedException.class, () -> runtime.exec(other, List.of("true"), Duration.ofSeconds(1)));
    assertThrows(NotManagedException.class, () -> runtime.updateLimits(other, 1, 1));
    assertThrows(NotManagedException.class, () -> runtime.crash(other, 1));
    assertEquals(List.of(ours), runtime.listAllManaged().stream().map(ContainerInfo::id).toList());
    assertEquals(2, runtime.size());
  }

  @Test
  void crashEmitsDieWithExitCodeToSubscribers() throws Exception {
    SimulatedRuntime runtime = SimulatedRuntime.create();
    List<ContainerEvent> events = new CopyOnWriteArrayList<>();
    String id = runtime.create(spec("f", "a"));
    try (AutoCloseable subscription = runtime.events(events::add, e -> { })) {
      runtime.start(id);
      runtime.crash(id, 137);
      runtime.crash(id, 1); // already exited: no second die
    }
    assertEquals(137, runtime.inspect(id).orElseThrow().exitCode());
    runtime.start(id); // after close: not delivered
    assertEquals(List.of("start", "die"), events.stream().map(ContainerEvent::action).toList());
    assertEquals(137, events.get(1).exitCode());
    assertEquals("a", events.get(1).agent());
  }

  @Test
  void unavailableEngineBreaksStreamsAndCalls() {
    SimulatedRuntime runtime = SimulatedRuntime.create();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    runtime.events(e -> { }, errors::add);
    runtime.setAvailable(false);
    assertEquals(1, errors.size());
    assertThrows(RuntimeUnavailableException.class, runtime::ping);
    assertThrows(RuntimeUnavailableException.class, () -> runtime.listAllManaged());
    runtime.setAvailable(true);
    runtime.ping();
  }

  @Test
  void statsUpdateAndExecReturnConfiguredValues() {
    SimulatedRuntime runtime = SimulatedRuntime.create();
    String id = runtime.create(spec("f", "a"));
    runtime.start(id);
    assertEquals(0, runtime.stats(id).cpuPercent());
    runtime.setUsage(id, 42.5, 10L << 20);
    runtime.updateLimits(id, 128L << 20, 1.5);
    ContainerStats stats = runtime.stats(id);
    assertEquals(42.5, stats.cpuPercent());
    assertEquals(10L << 20, stats.memoryUsageBytes());
    assertEquals(128L << 20, stats.memoryLimitBytes());
    assertEquals(1.5, runtime.inspect(id).orElseThrow().cpus());
    runtime.setExecResult(new ExecResult(7, "nope", false));
    assertEquals(7, runtime.exec(id, List.of("x"), Duration.ofSeconds(1)).exitCode());
    runtime.stop(id, Duration.ZERO);
    assertThrows(ContainerOperationException.class, () -> runtime.exec(id, List.of("x"), Duration.ofSeconds(1)));
  }

  @Test
  void tenThousandContainersConcurrentlyWithoutDuplicates() throws Exception {
    SimulatedRuntime runtime = SimulatedRuntime.create();
    java.util.concurrent.atomic.AtomicInteger starts = new java.util.concurrent.atomic.AtomicInteger();
    runtime.events(e -> {
      if (e.action().equals("start")) {
        starts.incrementAndGet();
      }
    }, e -> { });
    ExecutorService pool = Executors.newFixedThreadPool(4);
    Set<String> ids = ConcurrentHashMap.newKeySet();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 10_000; i++) { // every thread creates and starts all of them: races on purpose
            String id = runtime.create(spec("big", "a" + i));
            runtime.start(id);
            ids.add(id);
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(10_000, ids.size());
    assertEquals(10_000, runtime.listManaged("big").size());
    assertEquals(10_000, starts.get(), "one start event per container, however many callers raced");
    assertFalse(runtime.listManaged("big").stream().anyMatch(c -> !c.running()));
  }
}
