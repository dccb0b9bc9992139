package ai.sutazai.supervisor.healthfix;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The planner's knobs.
 *
 * @param crashLoopDeaths this many deaths (or engine restarts) within {@code crashLoopWindow} make a crash loop
 * @param crashLoopWindow window in which deaths are counted
 * @param memoryFactor an OOM-killed container's memory limit is multiplied by this
 * @param headroomFactor observed startup and probe times are multiplied by this to give the new settings
 */
public record FixPolicy(int crashLoopDeaths, Duration crashLoopWindow, double memoryFactor, double headroomFactor) {

  /** Default factors: memory ×1.5 after an OOM kill, 1.5× headroom over observed times. */
  public static final double DEFAULT_MEMORY_FACTOR = 1.5;
  public static final double DEFAULT_HEADROOM_FACTOR = 1.5;

  /** Crash-loop thresholds from {@code sutazai.supervisor.crash-loop} (the supervisor's own). */
  public static FixPolicy fromConfig(Config config) {
    return new FixPolicy(
        config.getInt("sutazai.supervisor.crash-loop.max-restarts"),
        config.getDuration("sutazai.supervisor.crash-loop.window"),
        DEFAULT_MEMORY_FACTOR,
        DEFAULT_HEADROOM_FACTOR);
  }
}
