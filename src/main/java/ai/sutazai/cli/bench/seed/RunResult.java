package ai.sutazai.cli.bench.seed;

import java.time.Instant;
import java.util.List;

/** What one run measured from outside; the series are one sample a second. */
record RunResult(String name, String description, Instant startedAt, Instant endedAt, double healthRate,
    double restartingShare, double agentsHealthyMean, int agentsHealthyPeak, int agents, Tasks tasks,
    double memoryEfficiencyMean, double memoryEfficiencyPeak, double cpuUsedRatio, double throttledShare, int oomKills,
    int restarts, List<Sample> samples) {

  record Tasks(int sent, int ok, int failed, double meanMs, double p50Ms, double p95Ms, double p99Ms) {}

  /** One second: health rate (NaN with nothing running), memory in use / limit, tasks answered so far. */
  record Sample(double seconds, double healthRate, double memory, int answered) {}

  double utilisationMean() {
    return agentsHealthyMean / agents;
  }

  double utilisationPeak() {
    return agentsHealthyPeak / (double) agents;
  }
}
