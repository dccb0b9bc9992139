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

  /**
   * Called exactly once for every request {@link #admit} admitted, when it ends: its answer fully sent,
   * failed, refused by the router (queue full, deadline, no worker), or its client gone. Between the two
   * calls the agent has an inference in flight.
   */
  default void finished(String agentName) {}

  /**
   * Whether the agent exists, for {@code /agents/{agent}/...} on the router (an unknown one is 404). The
   * default knows every name (a router-only deployment has no fleet).
   */
  default boolean knows(String agentName) {
    return true;
  }

  /** Admits every agent with priority 0. */
  AgentGateway ADMIT_ALL = agent -> CompletableFuture.completedFuture(AgentAdmission.admit(0));

}
