package ai.sutazai.api;

import ai.sutazai.common.SettingsException;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sutazai.management}: where the API listens, who may use it and its limits.
 *
 * @param bind interface address to bind
 * @param port TCP port (0 = any free port)
 * @param maxBodyBytes largest request body accepted; larger gets 413
 * @param requestTimeout how long a backend call may take before the API answers 503
 * @param sseKeepAlive interval of SSE heartbeat comments
 * @param historyWindow how much host history the dashboard's charts load
 * @param tokens the configured bearer tokens (entries without a token are dropped)
 * @param publicHealth whether /health needs no token (never with auth.protect-metrics)
 * @param publicMetrics whether /metrics needs no token (never with auth.protect-metrics)
 */
public record ManagementSettings(
    String bind,
    int port,
    long maxBodyBytes,
    Duration requestTimeout,
    Duration sseKeepAlive,
    Duration historyWindow,
    List<Auth.Token> tokens,
    boolean publicHealth,
    boolean publicMetrics) {

  private static final Logger log = LoggerFactory.getLogger(ManagementSettings.class);

  public ManagementSettings {
    tokens = List.copyOf(tokens);
  }

  /** Reads {@code sutazai.management} from the full configuration. */
  public static ManagementSettings from(Config root) {
    String base = "sutazai.management";
    try {
      Config c = root.getConfig(base);
      int port = c.getInt("port");
      if (port < 0 || port > 65535) {
        throw new SettingsException(base + ".port: " + port + " is not a TCP port (0-65535)");
      }
      return new ManagementSettings(
          c.getString("bind"),
          port,
          c.getBytes("max-body-size"),
          c.getDuration("request-timeout"),
          c.getDuration("sse-keep-alive"),
          c.getDuration("history-window"),
          tokens(c, base + ".auth.tokens"),
          // protect-metrics puts both behind a token whatever public-health and public-metrics say.
          c.getBoolean("auth.public-health") && !protectMetrics(c),
          c.getBoolean("auth.public-metrics") && !protectMetrics(c));
    } catch (ConfigException e) {
      throw new SettingsException(e.getMessage());
    }
  }

  private static boolean protectMetrics(Config c) {
    return c.hasPath("auth.protect-metrics") && c.getBoolean("auth.protect-metrics");
  }

  private static List<Auth.Token> tokens(Config c, String where) {
    List<Auth.Token> out = new ArrayList<>();
    List<? extends Config> entries = c.getConfigList("auth.tokens");
    for (int i = 0; i < entries.size(); i++) {
      Config e = entries.get(i);
      String name = e.hasPath("name") ? e.getString("name") : "#" + i;
      String at = where + "[" + i + "] (" + name + ")";
      if (!e.hasPath("token") || e.getString("token").isEmpty()) {
        // Typical cause: the environment variable the entry reads is not set. Never print a token.
        log.warn("management token entry {} has no token (environment variable unset?); ignored", at);
        continue;
      }
      String roleName = e.hasPath("role") ? e.getString("role") : "";
      Auth.Role role;
      try {
        role = Auth.Role.valueOf(roleName.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException ex) {
        throw new SettingsException(at + ".role: \"" + roleName + "\" is not one of viewer, operator");
      }
      out.add(new Auth.Token(name, e.getString("token"), role));
    }
    return out;
  }
}
