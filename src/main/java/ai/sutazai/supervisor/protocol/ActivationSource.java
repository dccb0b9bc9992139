package ai.sutazai.supervisor.protocol;

/** Where an activation request came from. */
public enum ActivationSource {
  /** The management API or an operator. */
  API,
  /** An inference request that names the agent. */
  INFERENCE,
  /** Dependency resolution: an agent that needs this one. */
  DEPENDENCY,
  /** The supervisor itself: activation = always, or counted by the pool's min-active. */
  BOOT,
  /** Forecast pre-activation: the agent's demand is predicted (sutazai.quota.pre-activation). */
  FORECAST,
  /** A request through the agent front ({@code /agents/{agent}/...} on sutazai.gateway.port), held while it starts. */
  GATEWAY
}
