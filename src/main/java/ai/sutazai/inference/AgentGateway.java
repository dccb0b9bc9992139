package ai.sutazai.inference;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * How the router learns about the agent behind a request ({@code X-Sutazai-Agent}). The supervisor's
 * implementation activates the agent through its pool and answers with the agent's priority; the
 * default admits everyone at priority 0.
 */
public interface AgentGateway {

  /** Called once per request that names an agent; a failed stage refuses the request. */
  CompletionStage<AgentAdmission> admit(String agentName);

  /** Admits every agent with priority 0. */
  AgentGateway ADMIT_ALL = agent -> CompletableFuture.completedFuture(AgentAdmission.admit(0));

}
