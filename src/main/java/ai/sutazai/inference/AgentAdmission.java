package ai.sutazai.inference;

/**
 * The {@link AgentGateway}'s answer for one agent.
 *
 * @param admitted false refuses the request with 403 and {@code reason}
 * @param priority higher is served first within a model's queue
 * @param reason   why the agent was refused (shown to the caller); empty when admitted
 */
public record AgentAdmission(boolean admitted, int priority, String reason) {
  public static AgentAdmission admit(int priority) {
    return new AgentAdmission(true, priority, "");
  }
}
