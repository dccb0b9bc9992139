package ai.sutazai.api.live;

import ai.sutazai.supervisor.protocol.SupervisorProtocol;

import ai.sutazai.common.Concurrency;
import ai.sutazai.common.JournalHealth;
import ai.sutazai.api.ManagementBackend;
import ai.sutazai.api.Result;
import ai.sutazai.api.view.Activation;
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
import ai.sutazai.api.view.WorkerView;
import ai.sutazai.cluster.JournalReadinessCheck;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.inference.InferenceModule;
import ai.sutazai.metrics.MetricsCollector;
import ai.sutazai.metrics.baseline.BaselineStore;
import ai.sutazai.runtime.ContainerRuntime;
import ai.sutazai.supervisor.protocol.ActivationResult;
import ai.sutazai.supervisor.protocol.ActivationSource;
import ai.sutazai.supervisor.protocol.AgentJournal;
import ai.sutazai.supervisor.protocol.AgentPhase;
import ai.sutazai.supervisor.protocol.JournalIds;
import ai.sutazai.supervisor.protocol.AgentStatus;
import ai.sutazai.supervisor.protocol.FleetStatus;
import ai.sutazai.supervisor.FleetSupervisor;
import ai.sutazai.supervisor.protocol.PoolStatus;
import ai.sutazai.supervisor.protocol.ScalingDecision;
import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.pattern.StatusReply;
import akka.stream.javadsl.Source;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The management API's backend on the real system: agents, pools and activation through the fleet
 * supervisor's protocol, the journal through its query plugin, containers through the runtime, workers
 * through the inference router, host figures, alerts and baselines through the metrics room. It never
 * reaches into an actor's state: every answer is an ask.
 */
public final class LiveBackend implements ManagementBackend {
  private final ActorSystem<?> system;
  private final FleetSpec fleet;
  private final ActorRef<SupervisorProtocol.Command> supervisor;
  private final AgentJournal journal;
  private final Duration ask;
  private final Observations observations;
  private final Workers workers;
  private final LiveFeed feed;
  private final JournalReadinessCheck journalCheck;

  /** Requests the agent front holds per agent (none without a front). */
  private volatile java.util.function.ToIntFunction<String> heldRequests = agent -> 0;

  /** Shows the agent front's held requests per agent in the agents' views. */
  public LiveBackend withHeldRequests(java.util.function.ToIntFunction<String> held) {
    this.heldRequests = held;
    return this;
  }

  public LiveBackend(ActorSystem<?> system, Config conf, FleetSpec fleet, ContainerRuntime runtime,
      ActorRef<SupervisorProtocol.Command> supervisor, ActorRef<MetricsCollector.Command> metrics, BaselineStore baselines,
      InferenceModule.Handle inference) {
    this.system = system;
    this.fleet = fleet;
    this.supervisor = supervisor;
    this.journal = new AgentJournal(system);
    this.ask = conf.getDuration("sutazai.supervisor.ask-timeout");
    this.observations = new Observations(system, conf, fleet, runtime, metrics, baselines, inference, ask);
    this.workers = new Workers(conf, inference);
    this.feed = LiveFeed.start(system, fleet, metrics, agent -> heldRequests.applyAsInt(agent));
    this.journalCheck = new JournalReadinessCheck(akka.actor.typed.javadsl.Adapter.toClassic(system));
  }

  private CompletionStage<FleetStatus> status() {
    return AskPattern.ask(supervisor, SupervisorProtocol.GetStatus::new, ask, system.scheduler());
  }

  /**
   * The pools' statuses, answered within {@link #POOL_BOUND}: a pool that cannot be reached in time (its singleton
   * moves after a node loss, its journal is down) is given as last known, marked stale.
   */
  private CompletionStage<List<PoolStatus>> poolStatuses() {
    return AskPattern.ask(supervisor, r -> new SupervisorProtocol.GetPoolsOrLastKnown(POOL_BOUND, r), ask,
        system.scheduler());
  }

  /** How long the API waits for a pool before answering from its last known status (well under a second). */
  static final Duration POOL_BOUND = Duration.ofMillis(400);

  private CompletionStage<List<AgentView>> views() {
    return status().thenCombine(poolStatuses(), (st, pools) -> {
      Map<String, Integer> positions = Views.positions(pools);
      Map<String, PoolStatus> poolByName = new java.util.HashMap<>();
      pools.forEach(p -> poolByName.put(p.name(), p));
      Map<String, AgentStatus> byName = new java.util.HashMap<>();
      st.agents().forEach(a -> byName.put(a.name(), a));
      return fleet.agents().values().stream()
          .map(spec -> Views.agent(spec, byName.get(spec.name()), positions.get(spec.name()), null, null,
              heldRequests.applyAsInt(spec.name()), poolByName.get(spec.pool()))).toList();
    });
  }

  private CompletionStage<AgentView> view(String name) {
    return views().thenApply(all -> all.stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow());
  }

  @Override
  public CompletionStage<Result<List<AgentView>>> agents() {
    return views().thenApply(Result::ok);
  }

  @Override
  public CompletionStage<Result<AgentView>> agent(String name) {
    if (!fleet.agents().containsKey(name)) {
      return done(Result.notFound("agent", name));
    }
    return view(name).thenCombine(journal.page(fleet.name(), name, Long.MAX_VALUE, 1), (v, last) -> Result.ok(last.isEmpty() ? v
        : v.withLastEvent(Views.event(name, last.get(0).seqNr(), last.get(0).event()))));
  }

  @Override
  public CompletionStage<Result<Activation>> activate(String name) {
    if (!fleet.agents().containsKey(name)) {
      return done(Result.notFound("agent", name));
    }
    supervisor.tell(new SupervisorProtocol.Touch(name));
    CompletionStage<StatusReply<ActivationResult>> reply = AskPattern.ask(supervisor,
        r -> new SupervisorProtocol.Activate(name, ActivationSource.API, "API request", null, r), ask, system.scheduler());
    return reply.thenCompose(r -> {
      if (r.isError() && JournalHealth.isUnavailable(r.getError())) {
        return CompletableFuture.<Result<Activation>>failedFuture(r.getError());
      }
      if (r.isError()) {
        return done(Result.<Activation>conflict(r.getError().getMessage()));
      }
      ActivationResult a = r.getValue();
      return switch (a.outcome()) {
        case ACTIVE -> view(name).thenApply(v -> Result.<Activation>ok(new Activation.Active(v)));
        case STARTING -> done(Result.<Activation>ok(new Activation.Accepted(0)));
        case QUEUED -> done(Result.<Activation>ok(new Activation.Accepted(a.position())));
        case REJECTED -> done(Result.<Activation>conflict(a.reason()));
      };
    });
  }

  @Override
  public CompletionStage<Result<AgentView>> deactivate(String name) {
    if (!fleet.agents().containsKey(name)) {
      return done(Result.notFound("agent", name));
    }
    return view(name).thenCompose(v -> {
      if (v.state() == ai.sutazai.api.view.AgentState.INACTIVE) {
        return done(Result.<AgentView>conflict("agent " + name + " is already inactive"));
      }
      return doneAsk(r -> new SupervisorProtocol.DeactivateAgent(name, "API request", r))
          .thenCompose(err -> err != null ? done(Result.<AgentView>conflict(err)) : view(name).thenApply(Result::ok));
    });
  }

  @Override
  public CompletionStage<Result<AgentView>> reset(String name) {
    if (!fleet.agents().containsKey(name)) {
      return done(Result.notFound("agent", name));
    }
    return status().thenCompose(st -> {
      AgentPhase phase = st.agents().stream().filter(a -> a.name().equals(name)).map(AgentStatus::phase).findFirst()
          .orElse(AgentPhase.INACTIVE);
      if (phase != AgentPhase.CRASH_LOOP) {
        return done(Result.<AgentView>conflict("agent " + name + " is " + phase + ", not in a crash loop"));
      }
      return doneAsk(r -> new SupervisorProtocol.ResetAgent(name, r))
          .thenCompose(err -> err != null ? done(Result.<AgentView>conflict(err)) : view(name).thenApply(Result::ok));
    });
  }

  @Override
  public CompletionStage<Result<EventPage>> events(String agent, long before, int limit) {
    if (!fleet.agents().containsKey(agent)) {
      return done(Result.notFound("agent", agent));
    }
    return journal.page(fleet.name(), agent, before, limit).thenApply(entries -> {
      List<EventView> events = entries.stream().map(e -> Views.event(agent, e.seqNr(), e.event())).toList();
      long oldest = entries.isEmpty() ? 0 : entries.get(entries.size() - 1).seqNr();
      return Result.ok(new EventPage(events, entries.size() == limit && oldest > 1 ? oldest : null));
    });
  }

  @Override
  public CompletionStage<Result<List<ContainerView>>> containers() {
    return observations.containers();
  }

  @Override
  public CompletionStage<Result<List<PoolView>>> pools() {
    return poolStatuses().thenApply(ps -> Result.ok(ps.stream().map(p -> Views.pool(p, fleet)).toList()));
  }

  @Override
  public CompletionStage<Result<List<DecisionView>>> decisions(String pool, int limit) {
    if (fleet.agents().values().stream().noneMatch(a -> a.pool().equals(pool))) {
      return done(Result.notFound("pool", pool));
    }
    // A pool waiting to recover from a journal failure cannot answer: 503 with the journal's problem, not an empty list.
    Optional<String> problem = JournalHealth.get(system).problemOf(JournalIds.pool(fleet.name(), pool).id());
    if (problem.isPresent()) {
      return CompletableFuture.failedFuture(new IllegalStateException(problem.get()));
    }
    CompletionStage<List<ScalingDecision>> reply = AskPattern.ask(supervisor,
        r -> new SupervisorProtocol.GetDecisions(pool, limit, r), ask, system.scheduler());
    return reply.thenApply(oldestFirst -> {
      List<DecisionView> newestFirst = new ArrayList<>(oldestFirst.stream().map(Views::decision).toList());
      Collections.reverse(newestFirst);
      return Result.ok(newestFirst);
    });
  }

  @Override
  public CompletionStage<Result<PoolView>> setQuota(String pool, PoolView.Quota quota) {
    return poolStatuses().thenCompose(ps -> {
      if (ps.stream().noneMatch(p -> p.name().equals(pool))) {
        return done(Result.<PoolView>notFound("pool", pool));
      }
      int minActive = fleet.pools().containsKey(pool) ? fleet.pools().get(pool).minActive() : 0;
      if (quota.minActive() != minActive) {
        return done(Result.<PoolView>invalid("minActive", "min-active is set in the fleet spec (now " + minActive
            + "); it cannot be changed at run time"));
      }
      CompletionStage<StatusReply<PoolStatus>> reply = AskPattern.ask(supervisor, r -> new SupervisorProtocol.SetQuota(pool,
          quota.maxActive(), quota.memoryBudgetBytes(), quota.cpuBudget(), r), ask, system.scheduler());
      return reply.thenCompose(r -> r.isError() && JournalHealth.isUnavailable(r.getError())
          ? CompletableFuture.<Result<PoolView>>failedFuture(r.getError())
          : done(r.isError() ? Result.<PoolView>invalid("quota", r.getError().getMessage()) : Result.ok(Views.pool(r.getValue(), fleet))));
    });
  }

  @Override
  public CompletionStage<Result<List<WorkerView>>> workers() {
    return workers.list();
  }

  @Override
  public CompletionStage<Result<WorkerView>> addWorker(String name, String url) {
    return workers.add(name, url);
  }

  @Override
  public CompletionStage<Result<WorkerView>> removeWorker(String name) {
    return workers.remove(name);
  }

  @Override
  public CompletionStage<Result<List<AlertView>>> alerts() {
    return observations.alerts();
  }

  @Override
  public CompletionStage<Result<List<BaselineView>>> baselines() {
    return observations.baselines();
  }

  @Override
  public CompletionStage<Result<BaselineView>> baseline(String id) {
    return observations.baseline(id);
  }

  @Override
  public CompletionStage<Result<JsonNode>> capacity() {
    return observations.capacity();
  }

  @Override
  public CompletionStage<Result<List<HostSample>>> history(Duration window) {
    return observations.history(window).thenApply(Result::ok);
  }

  @Override
  public CompletionStage<Telemetry> telemetry() {
    return observations.telemetry();
  }

  @Override
  public CompletionStage<HealthView> health() {
    CompletionStage<HealthView.Check> journalOk = journalCheck.get()
        .handle((ok, err) -> err == null ? new HealthView.Check(true, "journal available")
            : new HealthView.Check(false, JournalHealth.isUnavailable(err) ? Concurrency.unwrap(err).getMessage()
                : JournalHealth.PREFIX + Concurrency.unwrap(err).getMessage()));
    return status().handle((st, err) -> st).thenCombine(journalOk, (st, journal) -> {
      if (st == null) {
        return new HealthView(true, false, Map.of("supervisor", new HealthView.Check(false, "no answer in time"), "journal", journal));
      }
      return new HealthView(true, st.engineUp() && journal.ok(), Map.of(
          "supervisor", new HealthView.Check(true, st.agents().size() + " of " + st.fleetSize() + " agents recovered"),
          "docker", new HealthView.Check(st.engineUp(), st.engine()),
          "journal", journal));
    });
  }

  @Override
  public Source<LiveUpdate, NotUsed> liveUpdates() {
    return feed.source();
  }

  /** Asks for a StatusReply of Done; completes with null on success, else the error's message. */
  private CompletionStage<String> doneAsk(
      java.util.function.Function<ActorRef<StatusReply<akka.Done>>, SupervisorProtocol.Command> make) {
    CompletionStage<StatusReply<akka.Done>> r = AskPattern.ask(supervisor, make::apply, ask, system.scheduler());
    return r.thenCompose(reply -> reply.isError() && JournalHealth.isUnavailable(reply.getError())
        ? CompletableFuture.<String>failedFuture(reply.getError())
        : done(reply.isError() ? reply.getError().getMessage() : null));
  }

  static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
