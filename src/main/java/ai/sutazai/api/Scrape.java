package ai.sutazai.api;

import ai.sutazai.api.view.AgentView;
import ai.sutazai.api.view.AlertView;
import ai.sutazai.api.view.ContainerView;
import ai.sutazai.api.view.PoolView;
import ai.sutazai.api.view.Telemetry;
import ai.sutazai.api.view.WorkerView;
import java.util.List;

/** What one {@code /metrics} scrape collected; a null section is one the backend did not answer. */
record Scrape(
    Telemetry telemetry,
    List<AgentView> agents,
    List<PoolView> pools,
    List<ContainerView> containers,
    List<WorkerView> workers,
    List<AlertView> alerts) {}
