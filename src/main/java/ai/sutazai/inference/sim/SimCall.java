package ai.sutazai.inference.sim;

import java.util.concurrent.CompletionStage;

/**
 * One request being served.
 *
 * @param startNanos {@link System#nanoTime()} when it arrived (total_duration and load_duration count from here)
 * @param closed completes if the client's connection ends before the answer is done; queued requests then
 *     leave the queue and running non-streamed generations stop, freeing their slot
 */
record SimCall(long startNanos, CompletionStage<Void> closed) {

  /** The client went away; its answer is dropped (Ollama's 499 "request canceled"). */
  static final class ClientGone extends RuntimeException {
    ClientGone() {
      super("client disconnected", null, false, false);
    }
  }
}
