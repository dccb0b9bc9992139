package ai.sutazai.supervisor.healthfix;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The planner's knobs.
 *
 * @param crashLoopDeaths this many deaths (or engine restarts) within {@code crashLoopWindow} make a crash loop
 * @param crashLoopWindow window in which deaths are counted
 * @param memoryFactor without a baseline, an OOM-killed container's memory limit is multiplied by this
 * @param headroomFactor observed startup and probe times are multiplied by this to give the new settings
 * @param memoryHeadroom with a baseline, the new limit is the container's memory p95 × (1 + this), never below
 *     its observed peak ({@code sutazai.quota.right-sizing.memory-headroom}, the right-sizer's own)
 */
public record FixPolicy(int crashLoopDeaths, Duration crashLoopWindow, double memoryFactor, double headroomFactor,
    double memoryHeadroom) {

  /** The default baseline headroom: p95 + 50 %. */
  public static final double DEFAULT_MEMORY_HEADROOM = 0.5;

  public FixPolicy(int crashLoopDeaths, Duration crashLoopWindow, double memoryFactor, double headroomFactor) {
    this(crashLoopDeaths, crashLoopWindow, memoryFactor, headroomFactor, DEFAULT_MEMORY_HEADROOM);
  }

  /** Default factors: memory ×1.5 after an OOM kill, 1.5× headroom over observed times. */
  public static final double DEFAULT_MEMORY_FACTOR = 1.5;
  public static final double DEFAULT_HEADROOM_FACTOR = 1.5;

  /**
   * Crash-loop thresholds from {@code sutazai.supervisor.crash-loop} (the supervisor's own) and the memory
   * headroom of right-sizing.
   */
  public static FixPolicy fromConfig(Config config) {
    return new FixPolicy(
        config.getInt("sutazai.supervisor.crash-loop.max-restarts"),
        config.getDuration("sutazai.supervisor.crash-loop.window"),
        DEFAULT_MEMORY_FACTOR,
        DEFAULT_HEADROOM_FACTOR,
        config.hasPath("sutazai.quota.right-sizing.memory-headroom")
            ? config.getDouble("sutazai.quota.right-sizing.memory-headroom") : DEFAULT_MEMORY_HEADROOM);
  }
}
