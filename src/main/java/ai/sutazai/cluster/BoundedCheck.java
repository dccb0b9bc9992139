package ai.sutazai.cluster;

import ai.sutazai.common.Concurrency;

import akka.actor.ActorSystem;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one blocking readiness probe on {@code sutazai-blocking-dispatcher} and bounds it in time, so a
 * hung database or engine makes the check fail quickly instead of tying up Akka Management.
 *
 * <p>Hazard: a timeout does not interrupt the probe's thread; each probe must bound itself as well
 * (JDBC login and query timeouts, the Docker client's response timeout), or blocked threads pile up.
 */
final class BoundedCheck {
  private final String what;
  private final Executor blocking;
  private final Duration timeout;

  BoundedCheck(ActorSystem system, String what, Duration timeout) {
    this.what = what;
    this.blocking = ai.sutazai.common.Concurrency.blocking(system);
    this.timeout = timeout;
  }

  /**
   * Completes with true when {@code probe} returns normally within the timeout; fails with an exception
   * whose message says what is not ready (Akka Management shows it in the /ready body) otherwise.
   */
  CompletionStage<Boolean> run(Runnable probe) {
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    CompletableFuture.runAsync(probe, blocking).whenComplete((ok, err) -> {
      if (err == null) {
        result.complete(Boolean.TRUE);
      } else {
        Throwable cause = err.getCause() != null ? err.getCause() : err;
        result.completeExceptionally(new IllegalStateException(what + " not reachable: " + message(cause), cause));
      }
    });
    CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() ->
        result.completeExceptionally(new TimeoutException(what + " did not answer within " + timeout.toMillis() + " ms")));
    return result;
  }

  private static String message(Throwable t) {
    Throwable root = Concurrency.rootCause(t);
    String m = t.getMessage() != null ? t.getMessage() : t.toString();
    return root == t || root.getMessage() == null || m.contains(root.getMessage()) ? m : m + " (" + root.getMessage() + ")";
  }
}
