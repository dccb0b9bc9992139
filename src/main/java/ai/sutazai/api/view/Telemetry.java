package ai.sutazai.api.view;

import java.util.List;

/**
 * The numbers {@code /metrics} needs beyond the agent, pool, container, worker and alert views.
 *
 * @param host the latest host sample; null before the first one
 * @param thresholds the alert thresholds in force
 * @param inference the inference router's figures per model (empty without a router)
 */
public record Telemetry(HostSample host, Thresholds thresholds, List<InferenceModel> inference) {
  public Telemetry {
    inference = List.copyOf(inference);
  }

  /**
   * The router's figures of one model, summed over workers, since start.
   *
   * @param upperBoundsSeconds the histograms' bucket upper bounds, seconds (the last one is +Inf)
   * @param latencyBuckets requests per bucket of their full latency (not cumulative), one per bound
   * @param latencySumSeconds sum of the requests' latencies, seconds
   * @param firstTokenBuckets requests per bucket of their time to the first response byte (not cumulative)
   * @param firstTokenSumSeconds sum of the times to the first byte, seconds
   * @param generatedTokens tokens the workers reported generating ({@code eval_count})
   * @param generationSeconds time the workers reported generating them ({@code eval_duration}), seconds
   * @param queueDepth requests waiting in the router's queue for this model now
   * @param rejected requests refused with 503 (queue full or deadline passed)
   */
  public record InferenceModel(String model, List<Double> upperBoundsSeconds, List<Long> latencyBuckets,
      double latencySumSeconds, List<Long> firstTokenBuckets, double firstTokenSumSeconds, long generatedTokens,
      double generationSeconds, int queueDepth, long rejected) {}
}
