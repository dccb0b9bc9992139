package ai.sutazai.fleet;

import ai.sutazai.common.AgentKeys;
import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The inference router's address in every agent's environment, so a stock Ollama or OpenAI client in the
 * container is identified as its agent without sending {@code X-Sutazai-Agent}: the router serves its whole
 * API also under {@code /agents/<agent>/<key>/}, and the official clients keep the path of their host. The
 * key ({@link AgentKeys}) is what makes the router believe the name: an agent cannot speak for another.
 *
 * <pre>
 * OLLAMA_HOST     = http://127.0.0.1:&lt;sutazai.inference.port&gt;/agents/&lt;agent&gt;/&lt;key&gt;
 * OPENAI_BASE_URL = http://127.0.0.1:&lt;sutazai.inference.port&gt;/agents/&lt;agent&gt;/&lt;key&gt;/v1
 * </pre>
 *
 * A value the fleet spec sets wins. Nothing is added when the router is off or its port is 0 (any free
 * port: not known when the fleet is loaded). Containers use host networking, so 127.0.0.1 is the host's.
 */
public final class InferenceEnv {
  public static final String OLLAMA_HOST = "OLLAMA_HOST";
  public static final String OPENAI_BASE_URL = "OPENAI_BASE_URL";

  private InferenceEnv() {}

  /** {@code agent} with the router's address added to its environment where the spec does not set it. */
  public static AgentSpec withDefaults(AgentSpec agent, Config config) {
    if (!config.hasPath("sutazai.inference.enabled") || !config.getBoolean("sutazai.inference.enabled")
        || !config.hasPath("sutazai.inference.port") || config.getInt("sutazai.inference.port") <= 0) {
      return agent;
    }
    String base = "http://127.0.0.1:" + config.getInt("sutazai.inference.port") + "/agents/" + agent.name() + "/"
        + AgentKeys.from(config).keyOf(agent.name());
    Map<String, String> env = new LinkedHashMap<>(agent.env());
    env.putIfAbsent(OLLAMA_HOST, base);
    env.putIfAbsent(OPENAI_BASE_URL, base + "/v1");
    return agent.withEnv(env);
  }
}
