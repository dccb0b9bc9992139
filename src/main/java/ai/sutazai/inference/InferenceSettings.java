package ai.sutazai.inference;

import ai.sutazai.inference.routing.RoutingPolicy;

import ai.sutazai.common.AgentKeys;
import ai.sutazai.common.UserError;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.List;

/** {@code sutazai.inference}, read once and checked; see reference.conf for each setting's meaning. */
public record InferenceSettings(
    String bind,
    int port,
    List<WorkerConfig> workers,
    int defaultNumParallel,
    String routingPolicy,
    int workerQueuePerModel,
    int maxQueue,
    Duration maxQueueWait,
    int perAgentMaxInFlight,
    int maxRetries,
    long maxBodyBytes,
    Duration healthInterval,
    Duration modelsInterval,
    Duration probeTimeout,
    Duration loadGrace,
    Duration recentSwapWindow,
    Duration loadObservedThreshold,
    Duration slotRecoveryInterval,
    int upstreamMaxConnections,
    Duration upstreamIdleTimeout,
    int breakerMaxFailures,
    Duration breakerResetTimeout,
    List<String> modelAdminWorkers,
    List<String> authTokens,
    List<String> operatorTokens,
    AgentKeys agentKeys,
    boolean requireAgentKey,
    long maxQueuedBytes) {

  /** Reads {@code sutazai.inference} from the full config. */
  public static InferenceSettings from(Config root) {
    try {
      Config c = root.getConfig("sutazai.inference");
      int defaultParallel = positive(c, "default-num-parallel");
      InferenceSettings s = new InferenceSettings(
          c.getString("bind"),
          c.getInt("port"),
          WorkerConfig.listFrom(c, defaultParallel),
          defaultParallel,
          c.getString("routing-policy"),
          c.getInt("worker-queue-per-model"),
          positive(c, "max-queue"),
          c.getDuration("max-queue-wait"),
          positive(c, "per-agent-max-in-flight"),
          c.getInt("max-retries"),
          c.getBytes("max-body-size"),
          c.getDuration("health-interval"),
          c.getDuration("models-interval"),
          c.getDuration("probe-timeout"),
          c.getDuration("load-grace"),
          c.getDuration("recent-swap-window"),
          c.getDuration("load-observed-threshold"),
          c.getDuration("slot-recovery-interval"),
          positive(c, "upstream-max-connections"),
          c.getDuration("upstream-idle-timeout"),
          positive(c, "circuit-breaker.max-failures"),
          c.getDuration("circuit-breaker.reset-timeout"),
          c.getStringList("model-admin-workers"),
          c.getStringList("auth.tokens"),
          operatorTokens(c),
          AgentKeys.from(root),
          requireAgentKey(c),
          c.getBytes("max-queued-bytes"));
      if (s.port < 0 || s.port > 65535) {
        throw new UserError("sutazai.inference.port: " + s.port + " is not a TCP port (0-65535)");
      }
      RoutingPolicy.named(s.routingPolicy, 1, 0, 0);
      return s;
    } catch (ConfigException e) {
      throw new UserError("sutazai.inference: " + e.getMessage());
    }
  }

  /** A list, or one comma-separated string (the environment variable's form). */
  private static List<String> operatorTokens(Config c) {
    if (c.getValue("auth.operator-tokens").valueType() == com.typesafe.config.ConfigValueType.STRING) {
      return java.util.Arrays.stream(c.getString("auth.operator-tokens").split(","))
          .map(String::trim).filter(t -> !t.isEmpty()).toList();
    }
    return c.getStringList("auth.operator-tokens");
  }

  private static boolean requireAgentKey(Config c) {
    String v = c.getString("agent-keys.require").trim().toLowerCase(java.util.Locale.ROOT);
    return switch (v) {
      case "on", "true", "yes" -> true;
      case "off", "false", "no" -> false;
      case "auto" -> !loopback(c.getString("bind"));
      default -> throw new UserError("sutazai.inference.agent-keys.require: '" + v + "' is not on, off or auto");
    };
  }

  /** True for 127.x.x.x, ::1 and localhost: only processes of this host (agents among them) can connect. */
  static boolean loopback(String bind) {
    String b = bind.trim();
    return b.startsWith("127.") || b.equals("::1") || b.equals("[::1]") || b.equalsIgnoreCase("localhost");
  }

  private static int positive(Config c, String key) {
    int v = c.getInt(key);
    if (v < 1) {
      throw new UserError("sutazai.inference." + key + ": must be at least 1, got " + v);
    }
    return v;
  }

  public RoutingPolicy newPolicy() {
    return RoutingPolicy.named(routingPolicy, defaultNumParallel, recentSwapWindow.toNanos(), workerQueuePerModel);
  }
}
