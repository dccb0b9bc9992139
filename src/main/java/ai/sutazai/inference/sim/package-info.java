/**
 * The Ollama SIMULATOR: an Ollama-protocol HTTP server for tests, demos and benchmarks, never real inference.
 *
 * <p>Start one from Java with {@link ai.sutazai.inference.sim.OllamaSimulator#start(SimConfig)} (its own actor
 * system) or {@code start(ActorSystem, SimConfig)} (a shared one), or from the command line with
 * {@code sutazai ollama-sim}. Rooms:
 * <ul>
 *   <li>{@code OllamaSimulator}, {@code SimConfig}, {@code OllamaSimCommand}: starting, configuring, CLI;</li>
 *   <li>{@code ModelScheduler}, {@code ModelCatalog}: installed and loaded models, slots, queue, load time,
 *       keep_alive, LRU eviction;</li>
 *   <li>{@code Generation}, {@code SimText}: what is "generated" and how it is paced (timers, no blocking);</li>
 *   <li>{@code SimHttp} (dispatch, errors, body limit), {@code NativeRoutes}, {@code EmbedRoutes},
 *       {@code ModelRoutes}, {@code OpenAiRoutes}, and the renderers {@code NativeRender},
 *       {@code OpenAiRender}, {@code SimResponses}.</li>
 * </ul>
 * Answer shapes follow ../shared/ollama/API.md and are checked against every file of
 * ../shared/ollama/examples by {@code OllamaSimConformanceTest}.
 */
package ai.sutazai.inference.sim;

import ai.sutazai.cli.OllamaSimCommand;
