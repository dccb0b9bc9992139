package ai.sutazai.api.live;

import ai.sutazai.api.Result;
import ai.sutazai.api.view.WorkerView;
import ai.sutazai.inference.InferenceMetrics;
import ai.sutazai.inference.InferenceModule;
import ai.sutazai.inference.RouterReports;
import ai.sutazai.inference.WorkerConfig;
import com.typesafe.config.Config;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The router's workers as the API shows them. A worker is marked simulated when it says so (the
 * simulator sends {@code X-Sutazai-Simulator: true}), found out once per URL with a non-blocking request.
 * {@code inference} is null when the router is switched off.
 */
final class Workers {
  private final InferenceModule.Handle inference;
  private final int numParallel;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Map<String, Boolean> simulated = new ConcurrentHashMap<>();

  Workers(Config conf, InferenceModule.Handle inference) {
    this.inference = inference;
    this.numParallel = conf.getInt("sutazai.inference.default-num-parallel");
  }

  CompletionStage<Result<List<WorkerView>>> list() {
    if (inference == null) {
      return off();
    }
    return views().thenApply(Result::ok);
  }

  /** The inference router is switched off (sutazai.inference.enabled = false). */
  private static <T> CompletionStage<Result<T>> off() {
    return CompletableFuture.completedFuture(Result.notImplemented("the inference router (sutazai.inference.enabled is off)"));
  }

  private CompletionStage<List<WorkerView>> views() {
    return inference.workers().thenCombine(inference.metrics(), (ws, m) -> ws.workers().stream().map(w -> view(w, m)).toList());
  }

  private WorkerView view(RouterReports.Worker w, InferenceMetrics.Snapshot m) {
    long requests = 0;
    long failures = 0;
    for (InferenceMetrics.WorkerModel wm : m.perWorkerModel()) {
      if (wm.worker().equals(w.name())) {
        requests += wm.requests();
        failures += wm.failures();
      }
    }
    int inFlight = w.inFlight().values().stream().mapToInt(Integer::intValue).sum();
    return new WorkerView(w.name(), w.url(), w.healthy(), w.breaker(), isSimulated(w.url()),
        w.loaded().stream().sorted().toList(), inFlight, requests, failures);
  }

  private boolean isSimulated(String url) {
    Boolean known = simulated.get(url);
    if (known == null) {
      simulated.put(url, false);
      HttpRequest req = HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + "/api/version"))
          .timeout(Duration.ofSeconds(2)).GET().build();
      http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).thenAccept(r ->
          simulated.put(url, r.headers().firstValue("X-Sutazai-Simulator").map("true"::equalsIgnoreCase).orElse(false)))
          .exceptionally(e -> {
            simulated.remove(url); // ask again next time
            return null;
          });
      return false;
    }
    return known;
  }

  CompletionStage<Result<WorkerView>> add(String name, String url) {
    if (inference == null) {
      return off();
    }
    return inference.workers().thenCompose(ws -> {
      boolean taken = ws.workers().stream().anyMatch(w -> w.name().equals(name) || w.url().equals(url));
      if (taken) {
        return CompletableFuture.completedFuture(Result.<WorkerView>conflict("a worker named " + name + " or at " + url
            + " is already registered"));
      }
      return inference.addWorker(new WorkerConfig(name, url, numParallel))
          .thenCompose(d -> views())
          .thenApply(vs -> vs.stream().filter(v -> v.name().equals(name)).findFirst()
              .map(Result::ok).orElseGet(() -> Result.conflict("worker " + name + " was removed meanwhile")));
    });
  }

  CompletionStage<Result<WorkerView>> remove(String name) {
    if (inference == null) {
      return off();
    }
    return views().thenCompose(vs -> {
      WorkerView v = vs.stream().filter(w -> w.name().equals(name)).findFirst().orElse(null);
      if (v == null) {
        return CompletableFuture.completedFuture(Result.<WorkerView>notFound("worker", name));
      }
      return inference.removeWorker(name).thenApply(d -> Result.ok(v));
    });
  }
}
