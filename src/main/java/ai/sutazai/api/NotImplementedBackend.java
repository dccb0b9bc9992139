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
import ai.sutazai.api.view.Thresholds;
import ai.sutazai.api.view.WorkerView;
import akka.NotUsed;
import akka.stream.javadsl.Source;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A backend with no capability: every resource answers 501, /health is live but not ready. Extend it and
 * override the methods whose capability exists, so the API grows with the system.
 */
public class NotImplementedBackend implements ManagementBackend {

  private static <T> CompletionStage<Result<T>> none(String capability) {
    return CompletableFuture.completedFuture(Result.notImplemented(capability));
  }

  @Override
  public CompletionStage<Result<List<AgentView>>> agents() {
    return none("the agent list");
  }

  @Override
  public CompletionStage<Result<AgentView>> agent(String name) {
    return none("agent details");
  }

  @Override
  public CompletionStage<Result<Activation>> activate(String name) {
    return none("agent activation");
  }

  @Override
  public CompletionStage<Result<AgentView>> deactivate(String name) {
    return none("agent deactivation");
  }

  @Override
  public CompletionStage<Result<AgentView>> reset(String name) {
    return none("crash-loop reset");
  }

  @Override
  public CompletionStage<Result<EventPage>> events(String agent, long before, int limit) {
    return none("the agent journal");
  }

  @Override
  public CompletionStage<Result<List<ContainerView>>> containers() {
    return none("the container list");
  }

  @Override
  public CompletionStage<Result<List<PoolView>>> pools() {
    return none("agent pools");
  }

  @Override
  public CompletionStage<Result<List<DecisionView>>> decisions(String pool, int limit) {
    return none("scaling decisions");
  }

  @Override
  public CompletionStage<Result<PoolView>> setQuota(String pool, PoolView.Quota quota) {
    return none("pool quotas");
  }

  @Override
  public CompletionStage<Result<List<WorkerView>>> workers() {
    return none("inference workers");
  }

  @Override
  public CompletionStage<Result<WorkerView>> addWorker(String name, String url) {
    return none("inference workers");
  }

  @Override
  public CompletionStage<Result<WorkerView>> removeWorker(String name) {
    return none("inference workers");
  }

  @Override
  public CompletionStage<Result<List<AlertView>>> alerts() {
    return none("alerts");
  }

  @Override
  public CompletionStage<Result<List<BaselineView>>> baselines() {
    return none("baselines");
  }

  @Override
  public CompletionStage<Result<BaselineView>> baseline(String id) {
    return none("baselines");
  }

  @Override
  public CompletionStage<Result<JsonNode>> capacity() {
    return none("capacity analysis");
  }

  @Override
  public CompletionStage<Result<List<HostSample>>> history(Duration window) {
    return none("host history");
  }

  @Override
  public CompletionStage<Telemetry> telemetry() {
    return CompletableFuture.completedFuture(
        new Telemetry(null, Thresholds.SEED, java.util.List.of()));
  }

  @Override
  public CompletionStage<HealthView> health() {
    return CompletableFuture.completedFuture(new HealthView(true, false,
        Map.of("supervisor", new HealthView.Check(false, "no supervisor backend wired"))));
  }

  @Override
  public Source<LiveUpdate, NotUsed> liveUpdates() {
    return Source.<LiveUpdate>maybe().mapMaterializedValue(p -> NotUsed.getInstance());
  }
}
