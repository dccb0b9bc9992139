package ai.sutazai.inference.ollama;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Turns the futures Akka's Java API returns into plain {@link CompletableFuture}s whose callbacks run on the
 * thread that completes them.
 *
 * <p>Why: Akka (through scala-java8-compat) hands out a {@code CompletableFuture} subclass whose
 * non-async methods ({@code thenApply}, {@code thenCompose}, {@code handle}, {@code whenComplete} ...) run
 * as their {@code *Async} twins on {@link CompletableFuture}'s default executor. That executor is the
 * common {@code ForkJoinPool} only when its parallelism is above 1; on a 2-core machine it is 1, and the JDK
 * then starts <em>a new thread for every callback</em>. A profile of the router benchmark showed 100,000
 * threads started in 2 minutes and most CPU time spent creating them. Every future from Akka (HTTP client,
 * {@code toStrict}, asks, stream materialisations) on a hot path goes through {@link #plain} first.
 */
public final class Stages {
  /** Runs the task on the calling thread; only for short, non-blocking callbacks. */
  public static final Executor SAME_THREAD = Runnable::run;

  private Stages() {}

  /** {@code stage} as a plain future, completed on the thread that completes {@code stage}. */
  @SuppressWarnings("unchecked")
  public static <T> CompletableFuture<T> plain(CompletionStage<? extends T> stage) {
    if (stage.getClass() == CompletableFuture.class) {
      return (CompletableFuture<T>) stage;
    }
    CompletableFuture<T> out = new CompletableFuture<>();
    stage.whenCompleteAsync((value, err) -> {
      if (err != null) {
        out.completeExceptionally(err);
      } else {
        out.complete(value);
      }
    }, SAME_THREAD);
    return out;
  }
}
