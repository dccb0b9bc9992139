package ai.sutazai.front;

import ai.sutazai.supervisor.protocol.ActivationResult;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * What the front asks of the supervisor: the same gateway the inference router uses (activation through
 * the agent's pool, answered with the pool's decision; busy marking while a request is in flight). The app
 * wires it to the supervisor ({@code SupervisorGateway#agentLink}).
 */
public interface AgentLink {

  /**
   * Asks the agent's pool to activate it; a request still queued at {@code deadline} is rejected by the pool
   * (null: none). The stage fails with the supervisor's error (e.g. unknown agent).
   */
  CompletionStage<ActivationResult> activate(String agent, Instant deadline);

  /** A request started ({@code true}) or ended; busy meanwhile, and both count as the agent's traffic. */
  void busy(String agent, boolean inFlight);
}
