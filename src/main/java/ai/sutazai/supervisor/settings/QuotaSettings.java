package ai.sutazai.supervisor.settings;

import ai.sutazai.supervisor.rightsizing.RightSizing;

import ai.sutazai.capacity.CapacityAnalysis;
import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The quota, scale-to-zero and right-sizing settings of {@code sutazai.quota}.
 *
 * @param targets utilisation targets the automatic budgets are computed with
 * @param hostMemoryBytes configured host memory, bytes; 0 = detect through OSHI
 * @param hostCpus configured host cores; 0 = detect through OSHI
 * @param busyWindow traffic within this window makes an agent busy (never preempted or stopped)
 * @param idleCheckInterval how often idle agents and expired deadlines are looked for
 * @param recentDecisions decisions kept in memory per pool for the API
 * @param snapshotEvery journal snapshot of a pool ledger after this many events
 * @param ledgerJournal journal plugin id of the pool ledgers; "" = the default journal
 * @param maxBatch most activation requests (or agent notices) a pool decides in one journal write
 */
public record QuotaSettings(
    CapacityAnalysis.Targets targets,
    long hostMemoryBytes,
    double hostCpus,
    Duration busyWindow,
    Duration idleCheckInterval,
    int recentDecisions,
    int snapshotEvery,
    String ledgerJournal,
    int maxBatch,
    RightSizing rightSizing) {

  /**
   * @param sampleInterval how often a running container's usage is sampled
   * @param windowSamples samples kept per agent
   * @param minSamples fewer samples: no proposal yet
   * @param memoryHeadroom fraction added on top of the memory p95
   * @param cpuHeadroom fraction added on top of the CPU p95
   * @param minChange changes smaller than this fraction of the current limit are skipped
   * @param minMemoryBytes lowest memory limit ever proposed, bytes
   * @param minCpus lowest CPU limit ever proposed, cores
   * @param useBaseline count the latest stored baseline's container usage as observed usage too
   * @param baselineRefresh how often the latest baseline is read again
   * @param countInQuota a right-sized container counts against its pool's budgets at its new limits instead
   *     of its agent's requests
   */
  public record RightSizing(boolean enabled, Duration sampleInterval, int windowSamples, int minSamples,
      double memoryHeadroom, double cpuHeadroom, double minChange, long minMemoryBytes, double minCpus,
      boolean useBaseline, Duration baselineRefresh, boolean countInQuota) {}

  public static QuotaSettings fromConfig(Config root) {
    Config q = root.getConfig("sutazai.quota");
    Config r = q.getConfig("right-sizing");
    return new QuotaSettings(
        CapacityAnalysis.Targets.fromConfig(root),
        q.getBytes("host-memory"),
        q.getDouble("host-cpus"),
        q.getDuration("busy-window"),
        q.getDuration("idle-check-interval"),
        q.getInt("recent-decisions"),
        q.getInt("snapshot-every"),
        q.getString("ledger-journal"),
        Math.max(1, q.getInt("max-batch")),
        new RightSizing(r.getBoolean("enabled"), r.getDuration("sample-interval"), r.getInt("window-samples"),
            r.getInt("min-samples"), r.getDouble("memory-headroom"), r.getDouble("cpu-headroom"), r.getDouble("min-change"),
            r.getBytes("min-memory"), r.getDouble("min-cpus"), r.getBoolean("use-baseline"), r.getDuration("baseline-refresh"),
            r.getBoolean("count-in-quota")));
  }

  /** True when the host must be detected (OSHI) because the configuration does not give it. */
  public boolean detectHost() {
    return hostMemoryBytes <= 0 || hostCpus <= 0;
  }
}
