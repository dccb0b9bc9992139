package ai.sutazai.inference.sim;

import ai.sutazai.inference.ollama.Stages;
import ai.sutazai.inference.ollama.KeepAlive;
import ai.sutazai.inference.ollama.OllamaErrors;
import akka.actor.Cancellable;
import akka.http.javadsl.model.HttpResponse;
import akka.japi.Pair;
import akka.stream.KillSwitches;
import akka.stream.Materializer;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Sink;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;

/** What every route of one simulator shares: its config, installed models, scheduler, timers, materializer. */
record SimState(SimConfig config, ModelCatalog catalog, ModelScheduler scheduler,
    BiFunction<Duration, Runnable, Cancellable> timers, Materializer materializer) {

  /**
   * Gets a slot on {@code model} and then builds the answer with {@code onLease}; an unknown model gives
   * 404 with {@code notFoundMessage}, a full queue 503 with Ollama's exact body.
   */
  CompletionStage<HttpResponse> withLease(String model, KeepAlive keepAlive, SimCall call,
      String notFoundMessage, Function<ModelScheduler.Lease, CompletionStage<HttpResponse>> onLease) {
    CompletableFuture<ModelScheduler.Lease> granted = scheduler.acquire(model, keepAlive, call.startNanos());
    if (!granted.isDone()) {
      // A client that leaves while queued gives up its place (Ollama: 499 "request canceled").
      call.closed().thenRun(() -> {
        if (granted.cancel(false)) {
          scheduler.forget(granted);
        }
      });
    }
    return granted
        .handle((lease, failure) -> {
          if (failure == null) {
            return onLease.apply(lease);
          }
          Throwable t = ai.sutazai.common.Concurrency.unwrap(failure);
          if (t instanceof ModelScheduler.QueueFull) {
            return SimResponses.done(OllamaErrors.serverBusy());
          }
          if (t instanceof ModelScheduler.NotInstalled) {
            return SimResponses.done(SimResponses.error(404, notFoundMessage));
          }
          return CompletableFuture.<HttpResponse>failedFuture(t);
        })
        .thenCompose(Function.identity());
  }

  /**
   * All events of a non-streamed generation: paced by the token rate through {@link Generation#run}, or at
   * once through {@link Generation#immediate} when the rate is unlimited.
   */
  CompletionStage<List<Generation.Event>> generateAll(Generation.Plan plan, ModelScheduler.Lease lease,
      SimCall call, KeepAlive keepAlive) {
    if (config.tokensPerSecond() <= 0) {
      return CompletableFuture.completedFuture(Generation.immediate(plan, lease, call.startNanos(), keepAlive));
    }
    // Stopped (and the slot freed) if the client goes away before the whole answer is ready.
    Pair<UniqueKillSwitch, CompletionStage<List<Generation.Event>>> running =
        Generation.run(plan, config, lease, call.startNanos(), keepAlive, timers)
            .viaMat(KillSwitches.single(), Keep.right())
            .toMat(Sink.seq(), Keep.both())
            .run(materializer);
    call.closed().thenRun(() -> running.first().abort(new SimCall.ClientGone()));
    return Stages.plain(running.second());
  }

  /** A future completed after {@code delay}, on the scheduler (no thread waits). */
  CompletionStage<Void> after(Duration delay) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    if (delay.isZero() || delay.isNegative()) {
      f.complete(null);
    } else {
      timers.apply(delay, () -> f.complete(null));
    }
    return f;
  }
}
