/**
 * Small, stable helpers for Ollama's HTTP protocol, shared by the inference router and the simulator: exact
 * error bodies and messages ({@link ai.sutazai.inference.ollama.OllamaErrors}), NDJSON and SSE framing
 * ({@link ai.sutazai.inference.ollama.Ndjson}), model name normalisation
 * ({@link ai.sutazai.inference.ollama.ModelNames}), {@code keep_alive} and Go durations
 * ({@link ai.sutazai.inference.ollama.KeepAlive}, {@link ai.sutazai.inference.ollama.GoDuration}) and Go-style
 * timestamps ({@link ai.sutazai.inference.ollama.OllamaTime}), and {@link ai.sutazai.inference.ollama.Stages} for
 * Akka futures without a thread per callback. See ../shared/ollama/API.md.
 */
package ai.sutazai.inference.ollama;
