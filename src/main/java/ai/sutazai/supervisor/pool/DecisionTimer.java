package ai.sutazai.supervisor.pool;

import ai.sutazai.metrics.DecisionLatency;

/**
 * Times an {@link AgentPool}'s decisions for {@link DecisionLatency}: from the moment the pool starts
 * handling a command to the moment its decisions are made (computed) and journalled. Confined to the pool
 * actor; the latency store itself is shared by the pools of a system.
 */
final class DecisionTimer {
  private final DecisionLatency latency;
  /** When the command being handled started (System.nanoTime). */
  private long since;

  DecisionTimer(DecisionLatency latency) {
    this.latency = latency;
  }

  /** The pool starts handling a command. */
  void start() {
    since = System.nanoTime();
  }

  /** The decisions of the command being handled are made; returns its start (System.nanoTime). */
  long computed() {
    latency.recordCompute(System.nanoTime() - since);
    return since;
  }

  /** One decision took {@code nanos} to compute (a request of a batch, timed on its own). */
  void computed(long nanos) {
    latency.recordCompute(nanos);
  }

  /** The command's own decisions were journalled {@code nanos} after it started. */
  void journalled(long nanos) {
    latency.recordOwn(nanos);
  }

  /** An activation request's decision was journalled {@code nanos} after its batch started. */
  void requestJournalled(long nanos) {
    latency.recordRequest(nanos);
  }
}
