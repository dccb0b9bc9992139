package ai.sutazai.inference;

import ai.sutazai.inference.ollama.Stages;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.settings.ConnectionPoolSettings;
import akka.stream.Materializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP client side of the router: one pool for proxied requests (many connections, long idle
 * timeout, streams subscribed at once) and a small separate pool for probes and listings, so a worker
 * saturated with generations still answers its health check on a connection of its own.
 */
public final class UpstreamHttp {
  /** Shared, thread-safe JSON mapper. */
  public static final ObjectMapper JSON = ai.sutazai.common.JsonMappers.plain();

  private final Http http;
  private final Materializer materializer;
  private final ConnectionPoolSettings proxyPool;
  private final ConnectionPoolSettings probePool;
  private final Duration probeTimeout;
  private final akka.event.LoggingAdapter log;

  public UpstreamHttp(ActorSystem<?> system, InferenceSettings settings) {
    this.http = Http.get(system);
    ai.sutazai.common.HttpPoolsShutdown.register(system);
    this.log = akka.event.Logging.getLogger(akka.actor.typed.javadsl.Adapter.toClassic(system), "UpstreamHttp");
    this.materializer = Materializer.matFromSystem(system);
    this.probeTimeout = settings.probeTimeout();
    Config base = system.settings().config();
    int maxOpen = Integer.highestOneBit(Math.max(settings.upstreamMaxConnections() * 4, 64) - 1) << 1;
    this.proxyPool = ConnectionPoolSettings.create(ConfigFactory.parseString(
        "akka.http.host-connection-pool {\n"
            + " max-connections = " + settings.upstreamMaxConnections() + "\n"
            + " max-open-requests = " + maxOpen + "\n"
            + " max-retries = 0\n"
            + " idle-timeout = " + settings.upstreamIdleTimeout().toMillis() + "ms\n"
            + " response-entity-subscription-timeout = 10s\n"
            + " client.idle-timeout = " + settings.upstreamIdleTimeout().toMillis() + "ms\n"
            + " client.parsing.max-content-length = infinite\n"
            + " client.connecting-timeout = " + Math.max(1000, settings.probeTimeout().toMillis()) + "ms\n"
            + "}").withFallback(base));
    this.probePool = ConnectionPoolSettings.create(ConfigFactory.parseString(
        "akka.http.host-connection-pool {\n"
            + " max-connections = 2\n max-open-requests = 16\n max-retries = 0\n"
            + " client.connecting-timeout = " + settings.probeTimeout().toMillis() + "ms\n"
            + "}").withFallback(base));
  }

  public Materializer materializer() {
    return materializer;
  }

  /** A proxied request: the response arrives as soon as its headers do; the entity streams. */
  public CompletionStage<HttpResponse> send(HttpRequest request) {
    return Stages.plain(http.singleRequest(request, http.defaultClientHttpsContext(), proxyPool, log));
  }

  /** A probe: status only, entity discarded, failed after the probe timeout. */
  public CompletionStage<Integer> probe(HttpRequest request) {
    return Stages.plain(http.singleRequest(request, http.defaultClientHttpsContext(), probePool, log))
        .thenApply(r -> {
          r.discardEntityBytes(materializer);
          return r.status().intValue();
        })
        .toCompletableFuture()
        .orTimeout(probeTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A listing: the JSON body of a 2xx answer; a non-2xx status fails the stage. */
  public CompletionStage<JsonNode> getJson(HttpRequest request) {
    CompletableFuture<JsonNode> out = Stages.plain(http.singleRequest(request, http.defaultClientHttpsContext(),
            probePool, log))
        .thenCompose(r -> Stages.plain(r.entity().toStrict(probeTimeout.toMillis(), materializer))
            .thenApply(strict -> {
              if (r.status().intValue() / 100 != 2) {
                throw new IllegalStateException(request.getUri() + " answered " + r.status().intValue());
              }
              try {
                return JSON.readTree(strict.getData().toArray());
              } catch (java.io.IOException e) {
                throw new IllegalStateException(request.getUri() + " sent invalid JSON: " + e.getMessage());
              }
            }))
        .toCompletableFuture();
    return out.orTimeout(probeTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
  }

}
