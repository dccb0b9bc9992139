/**
 * The inference router: an Ollama-compatible HTTP front ({@link ai.sutazai.inference.InferenceServer}) over
 * a pool of Ollama servers, so agents change only {@code OLLAMA_HOST}.
 *
 * <ul>
 *   <li>{@link ai.sutazai.inference.InferenceModule} starts it (inside a guardian or a system) and returns a
 *       handle: port, add/remove workers, metrics, stop.</li>
 *   <li>{@link ai.sutazai.inference.InferenceRouter} grants request slots (leases) on workers, keeps a bounded
 *       priority queue per model, per-agent caps and sticky agents.</li>
 *   <li>{@link ai.sutazai.inference.OllamaWorker}: one per endpoint; health, loaded and installed models,
 *       slots, circuit breaker.</li>
 *   <li>{@link ai.sutazai.inference.routing.RoutingPolicy}: pure choice of worker over a snapshot
 *       ({@link ai.sutazai.inference.routing.LeastCostPolicy}, {@link ai.sutazai.inference.routing.RoundRobinPolicy}).</li>
 *   <li>{@link ai.sutazai.inference.ProxyCall} and {@link ai.sutazai.inference.ProxyTap}: one proxied request,
 *       retried before its first byte, streamed through afterwards.</li>
 *   <li>{@link ai.sutazai.inference.AgentGateway}: how the supervisor admits agents and gives their priority.</li>
 * </ul>
 * The simulator used by tests and benchmarks is in {@code ai.sutazai.inference.sim}; shared protocol helpers
 * in {@code ai.sutazai.inference.ollama}.
 */
package ai.sutazai.inference;
