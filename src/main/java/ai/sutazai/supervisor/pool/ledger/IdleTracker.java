package ai.sutazai.supervisor.pool.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Traffic per agent, for scale-to-zero and preemption. An agent is <b>busy</b> while an inference is in
 * flight for it ({@code Busy(agent, true)} not yet matched by {@code Busy(agent, false)}), or when it had
 * traffic ({@code Touch}, or its own activation) within the busy window. A busy agent is never preempted
 * and never stopped for idleness.
 *
 * <p>Not durable on purpose: after a restart every agent counts as just used, so nothing is stopped for
 * an idleness the supervisor did not see. Updated by the pool actor only; {@link #busyNow} may be read from
 * another thread (the shard coordinator's rebalance, through {@code AgentActivity}), hence concurrent maps.
 */
public final class IdleTracker {
  private final Duration busyWindow;
  private final Instant created;
  private final Map<String, Instant> lastTraffic = new ConcurrentHashMap<>();
  private final Map<String, Integer> inFlight = new ConcurrentHashMap<>();

  public IdleTracker(Duration busyWindow) {
    this(busyWindow, Instant.now());
  }

  /** @param created when the tracker started: an agent it has not seen counts as used then */
  public IdleTracker(Duration busyWindow, Instant created) {
    this.busyWindow = busyWindow;
    this.created = created;
  }

  /**
   * Busy, as {@link #busy}, without recording anything: safe from any thread. An agent never seen counts
   * as used when the tracker was created (so for the first busy window after a pool starts, every agent is busy).
   */
  public boolean busyNow(String agent, Instant now) {
    if (inFlight.getOrDefault(agent, 0) > 0) {
      return true;
    }
    Instant last = lastTraffic.getOrDefault(agent, created);
    return Duration.between(last, now).compareTo(busyWindow) < 0;
  }

  public void touch(String agent, Instant now) {
    lastTraffic.put(agent, now);
  }

  /** One inference more ({@code start}) or less in flight for {@code agent}; also counts as traffic. */
  public void inFlight(String agent, boolean start, Instant now) {
    inFlight.put(agent, Math.max(0, inFlight.getOrDefault(agent, 0) + (start ? 1 : -1)));
    lastTraffic.put(agent, now);
  }

  public boolean busy(String agent, Instant now) {
    return inFlight.getOrDefault(agent, 0) > 0 || idleFor(agent, now).compareTo(busyWindow) < 0;
  }

  /** Time since the agent's last traffic; an agent never seen counts as used at {@code now}. */
  public Duration idleFor(String agent, Instant now) {
    Instant last = lastTraffic.get(agent);
    if (last == null) {
      lastTraffic.put(agent, now);
      return Duration.ZERO;
    }
    return Duration.between(last, now);
  }

  /** Last traffic, for least-recently-used ordering. */
  public Instant lastTraffic(String agent, Instant now) {
    return lastTraffic.computeIfAbsent(agent, a -> now);
  }

  public boolean inFlight(String agent) {
    return inFlight.getOrDefault(agent, 0) > 0;
  }

  /** "10m", "42s", "1500ms": for decision reasons. */
  public static String human(Duration d) {
    long ms = d.toMillis();
    if (ms < 10_000) {
      return ms + "ms";
    } else if (ms < 120_000) {
      return ms / 1000 + "s";
    } else if (ms < 7_200_000) {
      return ms / 60_000 + "m";
    }
    return ms / 3_600_000 + "h";
  }
}
