package ai.sutazai.api;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management HTTP server: binds {@link ManagementRoutes} to {@code sutazai.management.bind}:
 * {@code port}. {@code Main run} starts it with the backend that talks to the supervisor's actors.
 */
public final class ManagementServer {
  private static final Logger log = LoggerFactory.getLogger(ManagementServer.class);

  private final ServerBinding binding;

  private ManagementServer(ServerBinding binding) {
    this.binding = binding;
  }

  /** Binds the server; the stage fails when the address is taken. */
  public static CompletionStage<ManagementServer> start(
      ActorSystem<?> system, ManagementSettings settings, ManagementBackend backend) {
    if (settings.tokens().isEmpty()) {
      log.warn("no management API token configured (sutazai.management.auth.tokens; e.g. set "
          + "SUTAZAI_OPERATOR_TOKEN): /api/v1 refuses every request");
    }
    ManagementRoutes routes = new ManagementRoutes(settings, backend, ai.sutazai.common.MetricsRegistry.get(system));
    return Http.get(system).newServerAt(settings.bind(), settings.port())
        // Akka's illegal-header warning quotes the header's value: a malformed Authorization header would
        // put a (possibly real) token in the log.
        .adaptSettings(s -> s.withParserSettings(s.getParserSettings().withIllegalHeaderWarnings(false)))
        .bind(routes.route())
        .thenApply(b -> {
          log.info("management API and dashboard on http://{}:{}/", b.localAddress().getHostString(),
              b.localAddress().getPort());
          return new ManagementServer(b);
        });
  }

  /** Where it listens (the real port when configured with 0). */
  public InetSocketAddress address() {
    return binding.localAddress();
  }

  /** Stops accepting, gives open requests {@code grace} to finish, then closes connections. */
  public CompletionStage<akka.http.javadsl.HttpTerminated> stop(Duration grace) {
    return binding.terminate(grace);
  }
}
