package ai.sutazai.api.view;

/**
 * Body of {@code POST /api/v1/workers}: registers an Ollama endpoint with the router.
 *
 * @param name unique worker name: letters, digits, '.', '_' or '-', 1 to 63 characters
 * @param url base URL of its Ollama API, http or https
 */
public record WorkerRequest(String name, String url) {}
