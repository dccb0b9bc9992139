package ai.sutazai.api.view;

/** What an accepted activation request led to. */
public sealed interface Activation {
  /**
   * The request was accepted and the agent is not active yet (HTTP 202).
   *
   * @param queuePosition 1-based position in the pool's activation queue; 0 when the pool admitted it
   *     at once and its container is starting
   */
  record Accepted(int queuePosition) implements Activation {}

  /** The agent was already active; nothing changed (HTTP 200). */
  record Active(AgentView agent) implements Activation {}
}
