package ai.sutazai.front;

import ai.sutazai.inference.SupervisorGateway;
import ai.sutazai.supervisor.ActivationResult;
import ai.sutazai.supervisor.ActivationSource;
import java.util.concurrent.CompletionStage;

/**
 * What the front asks of the supervisor: the same gateway the inference router uses (activation through
 * the agent's pool, answered with the pool's decision; busy marking while a request is in flight).
 */
public interface AgentLink {

  /** Asks the agent's pool to activate it; the stage fails with the supervisor's error (e.g. unknown agent). */
  CompletionStage<ActivationResult> activate(String agent);

  /** A request started ({@code true}) or ended; busy meanwhile, and both count as the agent's traffic. */
  void busy(String agent, boolean inFlight);

  /** Through the router's {@link SupervisorGateway}, with activation source {@code GATEWAY}. */
  static AgentLink of(SupervisorGateway gateway) {
    return new AgentLink() {
      @Override
      public CompletionStage<ActivationResult> activate(String agent) {
        return gateway.activate(agent, ActivationSource.GATEWAY, "request through the agent front");
      }

      @Override
      public void busy(String agent, boolean inFlight) {
        gateway.busy(agent, inFlight);
      }
    };
  }
}
