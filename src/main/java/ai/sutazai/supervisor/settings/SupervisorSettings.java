package ai.sutazai.supervisor.settings;

import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.PoolSpec;
import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The supervisor's settings, read once from {@code sutazai.supervisor} and {@code sutazai.docker}.
 *
 * @param restart global restart backoff (agents may override fields)
 * @param crashLoopMaxRestarts restarts within {@code crashLoopWindow} that park an agent
 * @param poolRestartBudget most restarts per pool within {@code poolRestartWindow}
 * @param probeStartInterval time between liveness probes of a starting container inside its start period,
 *     when shorter than the probe's interval
 */
public record SupervisorSettings(
    Duration askTimeout,
    Duration stopTimeout,
    Duration idleTimeout,
    Duration settleTimeout,
    Backoff restart,
    int crashLoopMaxRestarts,
    Duration crashLoopWindow,
    int poolRestartBudget,
    Duration poolRestartWindow,
    double pressureLoadPerCore,
    double pressureMemoryUtilisation,
    double probeTimeoutFactor,
    Duration pressureSampleInterval,
    Duration reconnectMinBackoff,
    Duration reconnectMaxBackoff,
    Duration probeStartInterval) {

  /** Restart backoff: delay = min(max, min x 2^attempt) x (1 + jitter x random). */
  public record Backoff(Duration minBackoff, Duration maxBackoff, double jitter, Duration resetAfter) {}

  public static SupervisorSettings fromConfig(Config root) {
    Config c = root.getConfig("sutazai.supervisor");
    Config d = root.getConfig("sutazai.docker");
    return new SupervisorSettings(
        c.getDuration("ask-timeout"),
        c.getDuration("stop-timeout"),
        c.getDuration("idle-timeout"),
        c.getDuration("settle-timeout"),
        new Backoff(
            c.getDuration("restart.min-backoff"),
            c.getDuration("restart.max-backoff"),
            c.getDouble("restart.jitter"),
            c.getDuration("restart.reset-after")),
        c.getInt("crash-loop.max-restarts"),
        c.getDuration("crash-loop.window"),
        c.getInt("pool-restart-budget.max-restarts"),
        c.getDuration("pool-restart-budget.window"),
        c.getDouble("pressure.load-per-core"),
        c.getDouble("pressure.memory-utilisation"),
        c.getDouble("pressure.probe-timeout-factor"),
        c.getDuration("pressure.sample-interval"),
        d.getDuration("reconnect-min-backoff"),
        d.getDuration("reconnect-max-backoff"),
        c.getDuration("probe-start-interval"));
  }

  /** The agent's backoff: its own overrides over the global one. */
  public Backoff backoffFor(AgentSpec spec) {
    AgentSpec.RestartSpec r = spec.restart();
    if (r == null) {
      return restart;
    }
    return new Backoff(
        r.minBackoff() != null ? r.minBackoff() : restart.minBackoff(),
        r.maxBackoff() != null ? r.maxBackoff() : restart.maxBackoff(),
        r.jitter() != null ? r.jitter() : restart.jitter(),
        r.resetAfter() != null ? r.resetAfter() : restart.resetAfter());
  }

  public int crashLoopMaxRestartsFor(AgentSpec spec) {
    AgentSpec.CrashLoopSpec c = spec.crashLoop();
    return c != null && c.maxRestarts() != null ? c.maxRestarts() : crashLoopMaxRestarts;
  }

  public Duration crashLoopWindowFor(AgentSpec spec) {
    AgentSpec.CrashLoopSpec c = spec.crashLoop();
    return c != null && c.window() != null ? c.window() : crashLoopWindow;
  }

  /** The pool's restart budget (restarts within {@link #poolRestartWindowFor}): its own, else the global one. */
  public int poolRestartBudgetFor(PoolSpec pool) {
    PoolSpec.RestartBudgetSpec b = pool.restartBudget();
    return b != null && b.maxRestarts() != null ? b.maxRestarts() : poolRestartBudget;
  }

  public Duration poolRestartWindowFor(PoolSpec pool) {
    PoolSpec.RestartBudgetSpec b = pool.restartBudget();
    return b != null && b.window() != null ? b.window() : poolRestartWindow;
  }

  public Duration idleTimeoutFor(AgentSpec spec) {
    return spec.idleTimeout() != null ? spec.idleTimeout() : idleTimeout;
  }
}
