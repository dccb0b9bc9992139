package ai.sutazai.cli;

import ai.sutazai.inference.sim.Generation;
import ai.sutazai.inference.sim.ModelRoutes;
import ai.sutazai.inference.sim.OllamaSimulator;
import ai.sutazai.inference.sim.SimConfig;

import ai.sutazai.common.UserError;
import ai.sutazai.inference.ollama.GoDuration;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** {@code sutazai ollama-sim}: runs an Ollama-protocol SIMULATOR until SIGTERM or Ctrl-C. */
@Command(
    name = "ollama-sim",
    mixinStandardHelpOptions = true,
    description = {
      "Runs an Ollama-protocol SIMULATOR (not real inference) for tests, demos and benchmarks.",
      "It answers the Ollama API (/api/generate, /api/chat, /api/embed, /api/tags, /api/ps, ... and the "
          + "OpenAI-compatible /v1/*) with filler text marked [simulated], and behaves like Ollama where a "
          + "router depends on it: parallel slots per model, a bounded queue (503 when full), model load "
          + "time, keep_alive expiry, LRU eviction, token streaming at a set rate, mid-stream errors.",
      "/api/version says \"" + ModelRoutes.VERSION + "\" and every response has X-Sutazai-Simulator: true.",
      "Runs until SIGTERM or Ctrl-C."
    })
public final class OllamaSimCommand implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "11434", description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Interface to listen on (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--models", split = ",", paramLabel = "MODEL",
      description = "Installed models, comma-separated; a name without a tag gets :latest (default: none).")
  List<String> models = List.of();

  @Option(names = "--num-parallel", defaultValue = "4",
      description = "Parallel request slots per loaded model (default: ${DEFAULT-VALUE}).")
  int numParallel;

  @Option(names = "--max-queue", defaultValue = "512",
      description = "Requests that may wait for a slot or a model load before 503 (default: ${DEFAULT-VALUE}).")
  int maxQueue;

  @Option(names = "--max-loaded-models", defaultValue = "3",
      description = "Models loaded at once; one more evicts the least recently used idle one (default: ${DEFAULT-VALUE}).")
  int maxLoadedModels;

  @Option(names = "--load-time", defaultValue = "2s", converter = DurationConverter.class,
      description = "Time to load a model, e.g. 2s, 500ms, 1m (default: ${DEFAULT-VALUE}).")
  Duration loadTime;

  @Option(names = "--tokens-per-second", defaultValue = "40",
      description = "Generation rate per request; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
  double tokensPerSecond;

  @Option(names = "--fail-rate", defaultValue = "0.0",
      description = "Probability 0..1 that a generation ends with an error line mid-stream (default: ${DEFAULT-VALUE}).")
  double failRate;

  @Option(names = "--response-tokens", defaultValue = "48",
      description = "Tokens in a plain-text answer; options.num_predict may lower it (default: ${DEFAULT-VALUE}).")
  int responseTokens;

  @Option(names = "--keep-alive", defaultValue = "5m", converter = DurationConverter.class,
      description = "keep_alive when a request gives none; negative = forever (default: ${DEFAULT-VALUE}).")
  Duration keepAlive;

  @Override
  public Integer call() throws Exception {
    SimConfig config;
    try {
      config = SimConfig.defaults().withBindHost(bind).withPort(port).withModels(models)
          .withNumParallel(numParallel).withMaxQueue(maxQueue).withMaxLoadedModels(maxLoadedModels)
          .withLoadTime(loadTime).withTokensPerSecond(tokensPerSecond).withFailRate(failRate)
          .withResponseTokens(responseTokens)
          .withDefaultKeepAlive(ai.sutazai.inference.ollama.KeepAlive.of(keepAlive));
    } catch (IllegalArgumentException e) {
      throw new UserError("ollama-sim: " + e.getMessage());
    }
    OllamaSimulator.Running sim;
    try {
      sim = OllamaSimulator.start(config);
    } catch (IllegalStateException e) {
      throw new UserError(e.getMessage());
    }
    System.out.println("Ollama SIMULATOR (not real inference) listening on " + sim.url());
    System.out.println("  models: " + (config.models().isEmpty() ? "(none; POST /api/pull to add)" : config.models()));
    System.out.println("  OLLAMA_HOST=" + sim.url() + "   stop with Ctrl-C or SIGTERM");
    System.out.flush();
    sim.whenTerminated().toCompletableFuture().join();
    return 0;
  }

  /** Go-style durations ({@code 2s}, {@code 500ms}, {@code 1m30s}); a bare number is seconds. */
  public static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim();
      try {
        if (v.matches("-?\\d+(\\.\\d+)?")) {
          return Duration.ofNanos((long) (Double.parseDouble(v) * 1e9));
        }
        return GoDuration.parse(v);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(
            "'" + value + "' is not a duration (examples: 2s, 500ms, 1m30s)");
      }
    }
  }
}
