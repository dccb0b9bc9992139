package ai.sutazai.inference.sim;

import akka.actor.Cancellable;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.settings.ServerSettings;
import akka.stream.Materializer;
import akka.stream.javadsl.Sink;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SIMULATED Ollama server for tests, demos and benchmarks: it speaks Ollama's HTTP protocol (native
 * {@code /api/*} and OpenAI-compatible {@code /v1/*}) and behaves like Ollama where routing depends on it
 * (parallel slots, a bounded queue answering 503, load time, keep_alive expiry, LRU eviction, NDJSON token
 * streaming with realistic metrics, mid-stream errors), but it runs no model: answers are filler text that
 * says it is simulated. {@code /api/version} reports {@value ModelRoutes#VERSION} and every response carries
 * {@code X-Sutazai-Simulator: true}.
 *
 * <pre>{@code
 * try (OllamaSimulator.Running sim = OllamaSimulator.start(SimConfig.defaults().withModels("llama3.2"))) {
 *   String base = sim.url(); // http://127.0.0.1:<port>
 * }
 * }</pre>
 */
public final class OllamaSimulator {
  private OllamaSimulator() {}

  private static final Logger log = LoggerFactory.getLogger(OllamaSimulator.class);

  /** A started simulator; {@link #close()} unbinds it (and stops its actor system if it made one). */
  public static final class Running implements AutoCloseable {
    private final ServerBinding binding;
    private final ActorSystem<?> ownSystem;
    private final SimConfig config;
    private final ModelScheduler scheduler;

    private Running(ServerBinding binding, ActorSystem<?> ownSystem, SimConfig config, ModelScheduler scheduler) {
      this.binding = binding;
      this.ownSystem = ownSystem;
      this.config = config;
      this.scheduler = scheduler;
    }

    /** The bound port (the free one picked when the config said 0). */
    public int port() {
      return binding.localAddress().getPort();
    }

    /** {@code http://<bind host>:<port>}. */
    public String url() {
      return "http://" + config.bindHost() + ":" + port();
    }

    public SimConfig config() {
      return config;
    }

    /** Model loads started since start (each costs {@link SimConfig#loadTime()}). */
    public long loadCount() {
      return scheduler.loadCount();
    }

    /** Names of the models loaded now. */
    public List<String> loadedModels() {
      return scheduler.loaded().stream().map(l -> l.model().name()).toList();
    }

    /** Requests now holding a slot (generating), over all models. */
    public int activeRequests() {
      return scheduler.loaded().stream().mapToInt(ModelScheduler.Loaded::activeRequests).sum();
    }

    /** Requests now waiting for a slot or a load. */
    public int pendingRequests() {
      return scheduler.pending();
    }

    /** A future completed when the actor system this simulator made terminates (never for a shared one). */
    public java.util.concurrent.CompletionStage<?> whenTerminated() {
      return ownSystem != null ? ownSystem.getWhenTerminated() : new java.util.concurrent.CompletableFuture<>();
    }

    @Override
    public void close() {
      try {
        binding.terminate(Duration.ofSeconds(2)).toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("ollama simulator on port {}: unbinding failed: {}", port(), e.toString());
      }
      if (ownSystem != null) {
        ownSystem.terminate();
        try {
          ownSystem.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          log.warn("ollama simulator on port {}: actor system did not stop: {}", port(), e.toString());
        }
      }
    }
  }

  /** Starts a simulator in an actor system of its own; blocks until bound. */
  public static Running start(SimConfig config) {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "ollama-sim", systemConfig(config));
    try {
      return bind(system, config, system);
    } catch (RuntimeException e) {
      system.terminate();
      throw e;
    }
  }

  /**
   * Starts a simulator in an existing actor system (for benchmarks running several); {@link Running#close()}
   * then leaves the system running. The system's {@code akka.http.server} settings apply, except the
   * request timeout (off: queued requests may wait long) and the body size limit from {@code config}.
   */
  public static Running start(ActorSystem<?> system, SimConfig config) {
    return bind(system, config, null);
  }

  private static Running bind(ActorSystem<?> system, SimConfig config, ActorSystem<?> own) {
    ModelCatalog catalog = new ModelCatalog(config.models());
    BiFunction<Duration, Runnable, Cancellable> timers =
        (delay, task) -> system.classicSystem().scheduler().scheduleOnce(delay, task, system.executionContext());
    ModelScheduler scheduler = new ModelScheduler(config, catalog, timers);
    SimState state = new SimState(config, catalog, scheduler, timers, Materializer.matFromSystem(system));
    ServerSettings settings = ServerSettings.create(system.classicSystem());
    settings = settings.withTimeouts(settings.getTimeouts()
            .withRequestTimeout(scala.concurrent.duration.Duration.Inf())
            .withIdleTimeout(scala.concurrent.duration.Duration.create(10, TimeUnit.MINUTES)))
        .withParserSettings(settings.getParserSettings().withMaxContentLength(config.maxBodyBytes()));
    SimHttp http = new SimHttp(state);
    Materializer mat = state.materializer();
    ServerBinding binding;
    try {
      binding = Http.get(system).newServerAt(config.bindHost(), config.port()).withSettings(settings)
          .connectionSource()
          .to(Sink.foreach(connection -> connection.handleWith(http.connectionFlow(), mat)))
          .run(mat)
          .toCompletableFuture().join();
    } catch (CompletionException e) {
      throw new IllegalStateException("ollama simulator: cannot bind " + config.bindHost() + ":" + config.port()
          + ": " + e.getCause().getMessage(), e.getCause());
    }
    Running running = new Running(binding, own, config, scheduler);
    log.warn("SIMULATOR, not real inference: Ollama-protocol simulator (version {}) listening on {} with models {}"
        + " (num-parallel {}, max-queue {}, max-loaded-models {}, load-time {} ms, tokens/s {}, fail-rate {})",
        ModelRoutes.VERSION, running.url(), config.models(), config.numParallel(), config.maxQueue(),
        config.maxLoadedModels(), config.loadTime().toMillis(),
        config.tokensPerSecond() > 0 ? config.tokensPerSecond() : "unlimited", config.failRate());
    return running;
  }

  /** A minimal actor system config: no cluster or remoting from conf/, HTTP tuned for many slow streams. */
  private static Config systemConfig(SimConfig config) {
    return ConfigFactory.parseString(String.join("\n",
            "akka.actor.provider = local",
            "akka.http.server.max-connections = 4096",
            "akka.http.server.backlog = 1024",
            "akka.http.server.request-timeout = infinite",
            "akka.http.server.idle-timeout = 10 minutes",
            "akka.http.server.parsing.max-content-length = " + config.maxBodyBytes(),
            "akka.coordinated-shutdown.run-by-jvm-shutdown-hook = on"))
        .withFallback(ConfigFactory.defaultReference());
  }
}
