package ai.sutazai.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Builds docker-java clients on the Apache httpclient5 transport. Shared by {@link DockerRuntime} and the
 * health-fix command so that both reach the engine the same way.
 */
public final class DockerClients {
  private DockerClients() {}

  /** Config key of the engine endpoint ({@code DOCKER_HOST} wins, see reference.conf). */
  public static final String HOST_KEY = "sutazai.docker.host";
  /** Config key of the timeout of one API call. */
  public static final String TIMEOUT_KEY = "sutazai.docker.api-timeout";

  /** The engine endpoint from config, e.g. {@code unix:///var/run/docker.sock}. */
  public static String host(Config config) {
    return config.getString(HOST_KEY);
  }

  /** The per-call timeout from config. */
  public static Duration apiTimeout(Config config) {
    return config.getDuration(TIMEOUT_KEY);
  }

  /**
   * A client for {@code host}. {@code responseTimeout} bounds how long one response may stay silent; pass
   * null for streams that are silent by nature (events, exec output, stop with a grace period).
   */
  public static DockerClient create(String host, Duration responseTimeout) {
    DefaultDockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
    ApacheDockerHttpClient.Builder http = new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig())
        .maxConnections(64)
        .connectionTimeout(Duration.ofSeconds(5));
    if (responseTimeout != null) {
      http.responseTimeout(responseTimeout);
    }
    return DockerClientImpl.getInstance(config, http.build());
  }
}
