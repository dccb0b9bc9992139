package ai.sutazai.front;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;

/**
 * {@code sutazai.gateway}: the agent front.
 *
 * @param enabled whether {@code run} starts the front
 * @param bind interface it listens on
 * @param port TCP port (0: any free port)
 * @param maxHeld most requests held per agent while it starts; more get 503 with Retry-After
 * @param holdTimeout longest a request is held; then 504
 * @param tokens Bearer tokens; empty = open (the default, with the loopback bind)
 * @param upstreamMaxConnections most connections open to one agent at a time
 * @param upstreamMaxOpenRequests requests waiting for a connection to one agent (a power of two)
 * @param upstreamIdleTimeout an idle connection to an agent is closed after this
 */
public record FrontSettings(boolean enabled, String bind, int port, int maxHeld, Duration holdTimeout, List<String> tokens,
    int upstreamMaxConnections, int upstreamMaxOpenRequests, Duration upstreamIdleTimeout) {

  public static final String PATH = "sutazai.gateway";

  public static FrontSettings from(Config config) {
    Config c = config.getConfig(PATH);
    return new FrontSettings(!c.hasPath("enabled") || c.getBoolean("enabled"), c.getString("bind"), c.getInt("port"),
        c.getInt("max-held"), c.getDuration("hold-timeout"), c.getStringList("auth.tokens"),
        c.getInt("upstream.max-connections"), c.getInt("upstream.max-open-requests"), c.getDuration("upstream.idle-timeout"));
  }

  public FrontSettings {
    tokens = List.copyOf(tokens);
    if (maxHeld < 1) {
      throw new IllegalArgumentException(PATH + ".max-held: must be at least 1, got " + maxHeld);
    }
    if (upstreamMaxConnections < 1) {
      throw new IllegalArgumentException(PATH + ".upstream.max-connections: must be at least 1, got " + upstreamMaxConnections);
    }
    if (upstreamMaxOpenRequests < 1 || Integer.bitCount(upstreamMaxOpenRequests) != 1) {
      throw new IllegalArgumentException(PATH + ".upstream.max-open-requests: must be a power of two, got "
          + upstreamMaxOpenRequests);
    }
  }
}
