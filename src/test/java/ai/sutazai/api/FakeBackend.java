package ai.sutazai.api;

import ai.sutazai.api.view.Activation;
import ai.sutazai.api.view.AgentState;
import ai.sutazai.api.view.AgentView;
import ai.sutazai.api.view.AlertView;
import ai.sutazai.api.view.BaselineView;
import ai.sutazai.api.view.ContainerView;
import ai.sutazai.api.view.DecisionView;
import ai.sutazai.api.view.EventPage;
import ai.sutazai.api.view.EventView;
import ai.sutazai.api.view.HealthView;
import ai.sutazai.api.view.HostSample;
import ai.sutazai.api.view.LiveUpdate;
import ai.sutazai.api.view.PoolView;
import ai.sutazai.api.view.Telemetry;
import ai.sutazai.api.view.Thresholds;
import ai.sutazai.api.view.WorkerView;
import akka.NotUsed;
import akka.stream.OverflowStrategy;
import akka.stream.javadsl.Source;
import akka.stream.javadsl.SourceQueueWithComplete;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-memory ManagementBackend with a small demo fleet; tests change it and push live updates. */
final class FakeBackend implements ManagementBackend {
  private final Map<String, AgentView> agents = new LinkedHashMap<>();
  private final Map<String, List<EventView>> journal = new LinkedHashMap<>();
  private final Map<String, PoolView.Quota> quotas = new LinkedHashMap<>();
  /** Scaling decisions, oldest first; a quota change adds one. */
  private final List<DecisionView> decisions = new ArrayList<>();
  private final Map<String, WorkerView> workers = new LinkedHashMap<>();
  private final List<AlertView> alerts = new ArrayList<>();
  private final List<HostSample> history = new ArrayList<>();
  private final List<SourceQueueWithComplete<LiveUpdate>> subscribers = new CopyOnWriteArrayList<>();
  /** Every agent name activate() was called with, in order. */
  final List<String> activations = new CopyOnWriteArrayList<>();
  /** When true, telemetry() and agents() fail, as if the supervisor did not answer. */
  volatile boolean broken;
  volatile boolean ready = true;
  private HostSample host;
  private final Instant start = Instant.parse("2026-11-27T01:00:00Z");

  FakeBackend() {
    quotas.put("core", new PoolView.Quota(4, 8L << 30, 4.0, 1));
    quotas.put("on-demand", new PoolView.Quota(2, 4L << 30, 2.0, 0));
    decisions.add(new DecisionView("on-demand", "ADMITTED", "doc-writer", "admitted doc-writer: memory 1.0 of 4.0 GiB in use",
        start.plusSeconds(60)));
    decisions.add(new DecisionView("on-demand", "QUEUED", "security-scanner",
        "queued security-scanner: max active 2 of 2 in use", start.plusSeconds(120)));
    agent("ollama-gateway", "core", AgentState.HEALTHY, 90, 1L << 30, 1.0, 0);
    agent("task-coordinator", "core", AgentState.HEALTHY, 80, 512L << 20, 0.5, 1);
    agent("code-reviewer", "core", AgentState.UNHEALTHY, 50, 2L << 30, 1.0, 3);
    agent("doc-writer", "on-demand", AgentState.HEALTHY, 40, 1L << 30, 0.5, 0);
    agent("test-generator", "on-demand", AgentState.STARTING, 30, 1L << 30, 0.5, 0);
    agent("security-scanner", "on-demand", AgentState.QUEUED, 60, 1L << 30, 1.0, 0);
    agent("data-analyst", "on-demand", AgentState.INACTIVE, 20, 2L << 30, 1.0, 0);
    agent("log-summariser", "core", AgentState.CRASH_LOOP, 10, 256L << 20, 0.25, 6);
    workers.put("ollama-1", new WorkerView("ollama-1", "http://127.0.0.1:11434", true, "CLOSED", false,
        List.of("llama3.2:3b", "qwen2.5-coder:7b"), 2, 1520, 3));
    workers.put("sim-1", new WorkerView("sim-1", "http://127.0.0.1:11500", true, "CLOSED", true,
        List.of("tinyllama"), 0, 310, 0));
    alerts.add(new AlertView("a-1", "container_health_rate", "warning", "host", 0.75, 0.90,
        start.plusSeconds(600), "container health rate 75% is below 90%"));
    Instant hourAgo = Instant.now().minusSeconds(3600);
    for (int i = 0; i < 60; i++) {
      double t = i / 60.0;
      history.add(new HostSample(hourAgo.plusSeconds(i * 60L), 0.30 + 0.15 * Math.sin(t * 6), 0.55 + 0.1 * t,
          (long) ((0.55 + 0.1 * t) * (32L << 30)), 32L << 30, 4 + 2 * Math.sin(t * 4), 12, 0.75 + 0.1 * t));
    }
    host = history.get(history.size() - 1);
  }

  private void agent(String name, String pool, AgentState state, int prio, long mem, double cpu, int restarts) {
    List<EventView> events = new ArrayList<>();
    events.add(new EventView(name, 1, start, "AgentRegistered", "fleet spec loaded"));
    if (state != AgentState.INACTIVE) {
      events.add(new EventView(name, 2, start.plusSeconds(30), "ActivationRequested", "api"));
    }
    if (state == AgentState.HEALTHY || state == AgentState.UNHEALTHY || state == AgentState.CRASH_LOOP) {
      events.add(new EventView(name, 3, start.plusSeconds(45), "AgentBecameHealthy", "startup probe passed"));
    }
    if (state == AgentState.CRASH_LOOP) {
      events.add(new EventView(name, 4, start.plusSeconds(400), "CrashLoopDetected", "6 restarts within 5m"));
    }
    journal.put(name, events);
    Integer queuePos = state == AgentState.QUEUED ? 1 : null;
    String container = state == AgentState.INACTIVE || state == AgentState.QUEUED ? null : "c0ffee" + name.hashCode();
    agents.put(name, new AgentView(name, pool, state, prio, "ON_DEMAND", container,
        container == null ? null : "akka://sutazai@127.0.0.1:2551", restarts, mem, cpu,
        List.of(), List.of("llama3.2:3b"), queuePos, container == null ? null : 0.8, events.get(events.size() - 1),
        queuePos != null ? 2 : 0, container == null ? null : 1800L));
  }

  synchronized void setState(String name, AgentState state, String eventType, String reason) {
    AgentView a = agents.get(name);
    List<EventView> events = journal.get(name);
    EventView e = new EventView(name, events.size() + 1L, Instant.now(), eventType, reason);
    events.add(e);
    AgentView b = new AgentView(a.name(), a.pool(), state, a.priority(), a.activation(),
        state == AgentState.INACTIVE ? null : "c0ffee" + name.hashCode(), state == AgentState.INACTIVE ? null : a.node(),
        a.restarts(), a.memoryRequestBytes(),
        a.cpuRequest(), a.dependsOn(), a.models(), null, a.responseTimeP95Seconds(), e, a.heldRequests(),
        a.lastColdStartMillis());
    agents.put(name, b);
    push(new LiveUpdate.AgentEvent(e, b));
  }

  /** Sets the current host sample and pushes it to every live subscriber. */
  synchronized void pushSample(HostSample s) {
    host = s;
    history.add(s);
    push(new LiveUpdate.Sample(s));
  }

  HostSample sample(double cpu, double memory, double load1, double health) {
    return new HostSample(Instant.now(), cpu, memory, (long) (memory * (32L << 30)), 32L << 30, load1, 12, health);
  }

  void push(LiveUpdate u) {
    for (SourceQueueWithComplete<LiveUpdate> q : subscribers) {
      q.offer(u);
    }
  }

  int subscriberCount() {
    return subscribers.size();
  }

  private static <T> CompletionStage<T> done(T v) {
    return CompletableFuture.completedFuture(v);
  }

  private <T> CompletionStage<Result<T>> ok(T v) {
    if (broken) {
      return CompletableFuture.failedFuture(new IllegalStateException("supervisor down"));
    }
    return done(Result.ok(v));
  }

  @Override
  public synchronized CompletionStage<Result<List<AgentView>>> agents() {
    return ok(List.copyOf(agents.values()));
  }

  @Override
  public synchronized CompletionStage<Result<AgentView>> agent(String name) {
    AgentView a = agents.get(name);
    return done(a == null ? Result.notFound("agent", name) : Result.ok(a));
  }

  @Override
  public synchronized CompletionStage<Result<Activation>> activate(String name) {
    AgentView a = agents.get(name);
    if (a == null) {
      return done(Result.notFound("agent", name));
    }
    activations.add(name);
    if (a.state() == AgentState.CRASH_LOOP) {
      return done(Result.conflict("agent " + name + " is in a crash loop; reset it first"));
    }
    if (a.state() == AgentState.HEALTHY || a.state() == AgentState.STARTING || a.state() == AgentState.UNHEALTHY) {
      return done(Result.ok(new Activation.Active(a)));
    }
    long active = agents.values().stream().filter(x -> x.pool().equals(a.pool()) && x.containerId() != null).count();
    if (active < quotas.get(a.pool()).maxActive()) {
      setState(name, AgentState.STARTING, "ActivationRequested", "api");
      return done(Result.ok(new Activation.Accepted(0)));
    }
    setState(name, AgentState.QUEUED, "ActivationQueued", "pool " + a.pool() + " is full");
    return done(Result.ok(new Activation.Accepted(queue(a.pool()).size())));
  }

  @Override
  public synchronized CompletionStage<Result<AgentView>> deactivate(String name) {
    AgentView a = agents.get(name);
    if (a == null) {
      return done(Result.notFound("agent", name));
    }
    if (a.state() == AgentState.INACTIVE) {
      return done(Result.conflict("agent " + name + " is not active"));
    }
    setState(name, AgentState.INACTIVE, "AgentDeactivated", "api");
    return done(Result.ok(agents.get(name)));
  }

  @Override
  public synchronized CompletionStage<Result<AgentView>> reset(String name) {
    AgentView a = agents.get(name);
    if (a == null) {
      return done(Result.notFound("agent", name));
    }
    if (a.state() != AgentState.CRASH_LOOP && a.state() != AgentState.FAILED) {
      return done(Result.conflict("agent " + name + " is " + a.state() + ", not in a crash loop"));
    }
    setState(name, AgentState.INACTIVE, "CrashLoopReset", "api");
    return done(Result.ok(agents.get(name)));
  }

  @Override
  public synchronized CompletionStage<Result<EventPage>> events(String agent, long before, int limit) {
    List<EventView> all = journal.get(agent);
    if (all == null) {
      return done(Result.notFound("agent", agent));
    }
    List<EventView> page = all.stream().filter(e -> e.seqNr() < before)
        .sorted(Comparator.comparingLong(EventView::seqNr).reversed()).limit(limit).toList();
    Long next = page.isEmpty() || page.get(page.size() - 1).seqNr() <= 1 ? null : page.get(page.size() - 1).seqNr();
    return done(Result.ok(new EventPage(page, next)));
  }

  @Override
  public synchronized CompletionStage<Result<List<ContainerView>>> containers() {
    List<ContainerView> out = new ArrayList<>();
    for (AgentView a : agents.values()) {
      if (a.containerId() != null) {
        String health = switch (a.state()) {
          case HEALTHY -> "healthy";
          case STARTING -> "starting";
          default -> "unhealthy";
        };
        out.add(new ContainerView(a.containerId(), "sutazai-" + a.name(), a.name(), "sutazai/busybox:local",
            a.state() == AgentState.CRASH_LOOP ? "restarting" : "running", health, a.restarts(), 0.12,
            a.memoryRequestBytes() / 2, a.memoryRequestBytes(), start.plusSeconds(45), 5.4));
      }
    }
    return ok(out);
  }

  private List<PoolView.QueueEntry> queue(String pool) {
    List<PoolView.QueueEntry> q = new ArrayList<>();
    for (AgentView a : agents.values()) {
      if (a.pool().equals(pool) && a.state() == AgentState.QUEUED) {
        q.add(new PoolView.QueueEntry(a.name(), q.size() + 1, a.priority(), 42_000));
      }
    }
    return q;
  }

  @Override
  public synchronized CompletionStage<Result<List<PoolView>>> pools() {
    List<PoolView> out = new ArrayList<>();
    quotas.forEach((name, quota) -> out.add(pool(name, quota)));
    return ok(out);
  }

  private PoolView pool(String name, PoolView.Quota quota) {
    List<AgentView> active = agents.values().stream()
        .filter(a -> a.pool().equals(name) && a.containerId() != null).toList();
    return new PoolView(name, quota, new PoolView.Usage(active.size(),
        active.stream().mapToLong(AgentView::memoryRequestBytes).sum(),
        active.stream().mapToDouble(AgentView::cpuRequest).sum()), queue(name));
  }

  @Override
  public synchronized CompletionStage<Result<PoolView>> setQuota(String pool, PoolView.Quota quota) {
    if (!quotas.containsKey(pool)) {
      return done(Result.notFound("pool", pool));
    }
    quotas.put(pool, quota);
    decisions.add(new DecisionView(pool, "QUOTA_CHANGED", "", "quota of pool " + pool + ": max active " + quota.maxActive(),
        Instant.now()));
    return done(Result.ok(pool(pool, quota)));
  }

  @Override
  public synchronized CompletionStage<Result<List<DecisionView>>> decisions(String pool, int limit) {
    if (!quotas.containsKey(pool)) {
      return done(Result.notFound("pool", pool));
    }
    List<DecisionView> newestFirst = new ArrayList<>();
    for (int i = decisions.size() - 1; i >= 0 && newestFirst.size() < limit; i--) {
      if (decisions.get(i).pool().equals(pool)) {
        newestFirst.add(decisions.get(i));
      }
    }
    return ok(newestFirst);
  }

  @Override
  public synchronized CompletionStage<Result<List<WorkerView>>> workers() {
    return ok(List.copyOf(workers.values()));
  }

  @Override
  public synchronized CompletionStage<Result<WorkerView>> addWorker(String name, String url) {
    if (workers.containsKey(name)) {
      return done(Result.conflict("a worker named " + name + " is already registered"));
    }
    WorkerView w = new WorkerView(name, url, false, "CLOSED", false, List.of(), 0, 0, 0);
    workers.put(name, w);
    return done(Result.ok(w));
  }

  @Override
  public synchronized CompletionStage<Result<WorkerView>> removeWorker(String name) {
    WorkerView w = workers.remove(name);
    return done(w == null ? Result.notFound("worker", name) : Result.ok(w));
  }

  @Override
  public synchronized CompletionStage<Result<List<AlertView>>> alerts() {
    return ok(List.copyOf(alerts));
  }

  synchronized void raise(AlertView a) {
    alerts.add(a);
    push(new LiveUpdate.AlertChange(a, true));
  }

  private BaselineView baselineView() {
    return new BaselineView("b-20261127", start, 1800, 360,
        Map.of("host_memory_utilisation_ratio", new BaselineView.Stat(0.55, 0.04, 0.48, 0.66, 0.55, 0.62, 0.65)),
        Map.of("memory_warning_ratio", 0.70, "memory_critical_ratio", 0.85));
  }

  @Override
  public CompletionStage<Result<List<BaselineView>>> baselines() {
    return ok(List.of(baselineView()));
  }

  @Override
  public CompletionStage<Result<BaselineView>> baseline(String id) {
    return done(id.equals("b-20261127") ? Result.ok(baselineView()) : Result.notFound("baseline", id));
  }

  @Override
  public CompletionStage<Result<JsonNode>> capacity() {
    return done(Result.notImplemented("capacity analysis"));
  }

  @Override
  public synchronized CompletionStage<Result<List<HostSample>>> history(Duration window) {
    return ok(List.copyOf(history));
  }

  @Override
  public synchronized CompletionStage<Telemetry> telemetry() {
    if (broken) {
      return CompletableFuture.failedFuture(new IllegalStateException("supervisor down"));
    }
    return done(new Telemetry(host, Thresholds.SEED, List.of(new Telemetry.InferenceModel("llama3.2:3b",
        List.of(0.5, 1.0, 5.0, Double.POSITIVE_INFINITY), List.of(100L, 500L, 180L, 20L), 1200.0,
        List.of(700L, 100L, 0L, 0L), 210.0, 64000, 800.0, 2, 3))));
  }

  @Override
  public CompletionStage<HealthView> health() {
    return done(new HealthView(true, ready, Map.of("journal", new HealthView.Check(true, "h2"),
        "docker", new HealthView.Check(ready, ready ? "reachable" : "unreachable"))));
  }

  @Override
  public Source<LiveUpdate, NotUsed> liveUpdates() {
    return Source.<LiveUpdate>queue(256, OverflowStrategy.dropHead()).mapMaterializedValue(q -> {
      subscribers.add(q);
      q.watchCompletion().whenComplete((d, e) -> subscribers.remove(q));
      return NotUsed.getInstance();
    });
  }
}
