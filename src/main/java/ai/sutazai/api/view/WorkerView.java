package ai.sutazai.api.view;

import java.util.List;

/**
 * An Ollama worker known to the inference router.
 *
 * @param name unique worker name
 * @param url base URL of its Ollama API
 * @param healthy whether its last health check passed
 * @param circuit circuit breaker state: "CLOSED", "OPEN" or "HALF_OPEN"
 * @param simulated true when the endpoint is the Ollama simulator, not real inference
 * @param loadedModels models currently loaded (Ollama /api/ps)
 * @param inFlight requests being served right now
 * @param requestsTotal requests routed to it since start
 * @param failuresTotal of those, how many failed
 */
public record WorkerView(
    String name,
    String url,
    boolean healthy,
    String circuit,
    boolean simulated,
    List<String> loadedModels,
    int inFlight,
    long requestsTotal,
    long failuresTotal) {
  public WorkerView {
    loadedModels = loadedModels == null ? List.of() : List.copyOf(loadedModels);
  }
}
