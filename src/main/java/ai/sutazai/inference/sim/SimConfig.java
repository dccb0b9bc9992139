package ai.sutazai.inference.sim;

import ai.sutazai.inference.ollama.KeepAlive;
import ai.sutazai.inference.ollama.ModelNames;
import java.time.Duration;
import java.util.List;

/**
 * How an {@link OllamaSimulator} behaves. Start from {@link #defaults()} and change what matters with the
 * {@code withX} methods (each returns a new config).
 *
 * @param bindHost interface to bind (loopback by default)
 * @param port TCP port; 0 picks a free one (see {@link OllamaSimulator.Running#port()})
 * @param models installed models at start ({@code /api/tags}); names without a tag get {@code :latest}
 * @param numParallel parallel slots per loaded model ({@code OLLAMA_NUM_PARALLEL})
 * @param maxQueue requests that may wait for a slot or a load, over all models, before 503 ({@code OLLAMA_MAX_QUEUE})
 * @param maxLoadedModels models loaded at once; loading one more evicts the least recently used idle one
 * @param loadTime how long loading a model takes
 * @param tokensPerSecond generation rate per request; 0 or less means as fast as possible
 * @param failRate probability (0..1) that a generation ends with an error line after some tokens
 * @param responseTokens tokens in a plain-text answer (options.num_predict can lower it)
 * @param defaultKeepAlive keep_alive when a request gives none ({@code OLLAMA_KEEP_ALIVE}, 5m)
 * @param maxBodyBytes largest request body accepted; larger gets 413
 * @param embeddingDimensions length of embedding vectors
 */
public record SimConfig(
    String bindHost,
    int port,
    List<String> models,
    int numParallel,
    int maxQueue,
    int maxLoadedModels,
    Duration loadTime,
    double tokensPerSecond,
    double failRate,
    int responseTokens,
    KeepAlive defaultKeepAlive,
    long maxBodyBytes,
    int embeddingDimensions) {

  public SimConfig {
    models = models.stream().map(String::trim).filter(m -> !m.isEmpty()).map(ModelNames::normalize).toList();
    require(port >= 0 && port <= 65535, "port must be 0..65535, got " + port);
    require(numParallel >= 1, "num-parallel must be at least 1, got " + numParallel);
    require(maxQueue >= 0, "max-queue must be 0 or more, got " + maxQueue);
    require(maxLoadedModels >= 1, "max-loaded-models must be at least 1, got " + maxLoadedModels);
    require(!loadTime.isNegative(), "load-time must not be negative, got " + loadTime);
    require(failRate >= 0.0 && failRate <= 1.0, "fail-rate must be between 0.0 and 1.0, got " + failRate);
    require(responseTokens >= 1, "response-tokens must be at least 1, got " + responseTokens);
    require(maxBodyBytes >= 1024, "max body must be at least 1024 bytes, got " + maxBodyBytes);
    require(embeddingDimensions >= 1, "embedding dimensions must be at least 1, got " + embeddingDimensions);
    for (String m : models) {
      require(ModelNames.isValid(m), "invalid model name '" + m + "'");
    }
  }

  /** Ollama's defaults where it has them; 127.0.0.1 on a free port, no models installed. */
  public static SimConfig defaults() {
    return new SimConfig("127.0.0.1", 0, List.of(), 4, 512, 3, Duration.ofSeconds(2), 40.0, 0.0, 48,
        KeepAlive.DEFAULT, 32L * 1024 * 1024, 384);
  }

  public SimConfig withBindHost(String v) {
    return new SimConfig(v, port, models, numParallel, maxQueue, maxLoadedModels, loadTime, tokensPerSecond,
        failRate, responseTokens, defaultKeepAlive, maxBodyBytes, embeddingDimensions);
  }

  public SimConfig withPort(int v) {
    return new SimConfig(bindHost, v, models, numParallel, maxQueue, maxLoadedModels, loadTime, tokensPerSecond,
        failRate, responseTokens, defaultKeepAlive, maxBodyBytes, embeddingDimensions);
  }

  public SimConfig withModels(List<String> v) {
    return new SimConfig(bindHost, port, v, numParallel, maxQueue, maxLoadedModels, loadTime, tokensPerSecond,
        failRate, responseTokens, defaultKeepAlive, maxBodyBytes, embeddingDimensions);
  }

  public SimConfig withModels(String... v) {
    return withModels(List.of(v));
  }

  public SimConfig withNumParallel(int v) {
    return new SimConfig(bindHost, port, models, v, maxQueue, maxLoadedModels, loadTime, tokensPerSecond,
        failRate, responseTokens, defaultKeepAlive, maxBodyBytes, embeddingDimensions);
  }

  public SimConfig withMaxQueue(int v) {
    return new SimConfig(bindHost, port, models, numParallel, v, maxLoadedModels, loadTime, tokensPerSecond,
        failRate, responseTokens, defaultKeepAlive, maxBodyBytes, embeddingDimensions);
  }

  public SimConfig withMaxLoadedModels(int v) {
    return new SimConfig(bindHost, port, models, numParallel, maxQueue, v, loadTime, tokensPerSecond,
        failRate, responseTokens, defaultKeepAlive, maxBodyBytes, embeddingDimensions);
  }

  public SimConfig withLoadTime(Duration v) {
    return new SimConfig(bindHost, port, models, numParallel, maxQueue, maxLoadedModels, v, tokensPerSecond,
        failRate, responseTokens, defaultKeepAlive, maxBodyBytes, embeddingDimensions);
  }

  public SimConfig withTokensPerSecond(double v) {
    return new SimConfig(bindHost, port, models, numParallel, maxQueue, maxLoadedModels, loadTime, v,
        failRate, responseTokens, defaultKeepAlive, maxBodyBytes, embeddingDimensions);
  }

  public SimConfig withFailRate(double v) {
    return new SimConfig(bindHost, port, models, numParallel, maxQueue, maxLoadedModels, loadTime, tokensPerSecond,
        v, responseTokens, defaultKeepAlive, maxBodyBytes, embeddingDimensions);
  }

  public SimConfig withResponseTokens(int v) {
    return new SimConfig(bindHost, port, models, numParallel, maxQueue, maxLoadedModels, loadTime, tokensPerSecond,
        failRate, v, defaultKeepAlive, maxBodyBytes, embeddingDimensions);
  }

  public SimConfig withDefaultKeepAlive(KeepAlive v) {
    return new SimConfig(bindHost, port, models, numParallel, maxQueue, maxLoadedModels, loadTime, tokensPerSecond,
        failRate, responseTokens, v, maxBodyBytes, embeddingDimensions);
  }

  public SimConfig withMaxBodyBytes(long v) {
    return new SimConfig(bindHost, port, models, numParallel, maxQueue, maxLoadedModels, loadTime, tokensPerSecond,
        failRate, responseTokens, defaultKeepAlive, v, embeddingDimensions);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
