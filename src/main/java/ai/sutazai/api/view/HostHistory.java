package ai.sutazai.api.view;

import java.util.List;

/**
 * Answer of {@code GET /api/v1/history}: the dashboard's chart data.
 *
 * @param thresholds the alert thresholds in force (the seed's when the supervisor did not say)
 * @param samples host samples of the window, oldest first
 */
public record HostHistory(Thresholds thresholds, List<HostSample> samples) {
  public HostHistory {
    samples = List.copyOf(samples);
  }
}
