package ai.sutazai.api;

import ai.sutazai.api.view.Activation;
import ai.sutazai.api.view.AgentView;
import ai.sutazai.api.view.AlertView;
import ai.sutazai.api.view.BaselineView;
import ai.sutazai.api.view.ContainerView;
import ai.sutazai.api.view.DecisionView;
import ai.sutazai.api.view.EventPage;
import ai.sutazai.api.view.HealthView;
import ai.sutazai.api.view.HostSample;
import ai.sutazai.api.view.LiveUpdate;
import ai.sutazai.api.view.PoolView;
import ai.sutazai.api.view.Telemetry;
import ai.sutazai.api.view.WorkerView;
import akka.NotUsed;
import akka.stream.javadsl.Source;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What the management API needs from the rest of the supervisor. The API validates names, bodies and
 * query parameters before calling; implementations ask their actors and translate the replies.
 *
 * <p>Rules for implementations: never block the calling thread (it is an Akka HTTP dispatcher thread);
 * complete every stage (the API gives up after {@code sutazai.management.request-timeout} and answers
 * 503); use {@link Result.NotImplemented} for capabilities that are not built, which the API answers with
 * 501. A failed stage is treated as "backend unavailable" (503), so client mistakes must come back as
 * {@link Result.NotFound}, {@link Result.Conflict} or {@link Result.Invalid}, never as exceptions.
 */
public interface ManagementBackend {

  /** Every agent of the fleet, in any order (the API sorts and filters by state and pool). */
  CompletionStage<Result<List<AgentView>>> agents();

  /** One agent; NotFound("agent", name) when the fleet has no such agent. */
  CompletionStage<Result<AgentView>> agent(String name);

  /**
   * Asks the agent's pool to activate it. Accepted(position) when queued (position &ge; 1) or admitted
   * and starting (0); Active when it already runs. Conflict when its state forbids it (CrashLoop: reset
   * first; STOPPING); NotFound for an unknown agent.
   */
  CompletionStage<Result<Activation>> activate(String name);

  /**
   * Deactivates the agent: stops its container (or drops it from the queue) and releases its quota.
   * Answers its view after the command was accepted. Conflict when it is already INACTIVE.
   */
  CompletionStage<Result<AgentView>> deactivate(String name);

  /**
   * Clears a crash loop: resets the restart counter and backoff and leaves CrashLoop/Failed for
   * INACTIVE. Conflict when the agent is in neither state.
   */
  CompletionStage<Result<AgentView>> reset(String name);

  /**
   * A page of the agent's journal, newest first: at most {@code limit} (1..500) events with
   * {@code seqNr < before}; {@code before} is {@link Long#MAX_VALUE} for the newest page.
   */
  CompletionStage<Result<EventPage>> events(String agent, long before, int limit);

  /** The containers this system labelled, with their latest stats. */
  CompletionStage<Result<List<ContainerView>>> containers();

  /** Every pool with quota, usage and queue. */
  CompletionStage<Result<List<PoolView>>> pools();

  /**
   * The pool's most recent scaling decisions, newest first, at most {@code limit} (1..500; a pool keeps
   * {@code sutazai.quota.recent-decisions} in memory, the journal keeps them all). NotFound("pool", name)
   * for an unknown pool.
   */
  CompletionStage<Result<List<DecisionView>>> decisions(String pool, int limit);

  /**
   * Replaces the pool's quota (the API has checked that every number is non-negative and
   * minActive &le; maxActive). Lowering it never kills agents at once; the pool converges. Answers the
   * pool after the change.
   */
  CompletionStage<Result<PoolView>> setQuota(String pool, PoolView.Quota quota);

  /** Every Ollama worker known to the router. */
  CompletionStage<Result<List<WorkerView>>> workers();

  /**
   * Registers an Ollama endpoint (name and URL already syntax-checked). Conflict when the name or URL is
   * already registered.
   */
  CompletionStage<Result<WorkerView>> addWorker(String name, String url);

  /** Unregisters a worker (its in-flight requests finish first); answers its last view. */
  CompletionStage<Result<WorkerView>> removeWorker(String name);

  /** Alerts firing now. */
  CompletionStage<Result<List<AlertView>>> alerts();

  /** Stored baselines, newest first. */
  CompletionStage<Result<List<BaselineView>>> baselines();

  /** One baseline; NotFound("baseline", id) when unknown. */
  CompletionStage<Result<BaselineView>> baseline(String id);

  /** The capacity analysis, the same JSON tree {@code sutazai analyze --format json} prints. */
  CompletionStage<Result<JsonNode>> capacity();

  /** Host samples of the last {@code window} (the dashboard asks for one hour), oldest first. */
  CompletionStage<Result<List<HostSample>>> history(Duration window);

  /** Host, thresholds and latency figures for {@code /metrics}. */
  CompletionStage<Telemetry> telemetry();

  /** Liveness and readiness for {@code /health}. */
  CompletionStage<HealthView> health();

  /**
   * Live updates for the SSE stream. Each materialisation is a new subscriber that sees updates from
   * then on (a hot source, e.g. a BroadcastHub); it should drop rather than back-pressure producers
   * when a subscriber is slow. Cancelling it unsubscribes.
   */
  Source<LiveUpdate, NotUsed> liveUpdates();
}
