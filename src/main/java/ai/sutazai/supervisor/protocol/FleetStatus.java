package ai.sutazai.supervisor.protocol;

import ai.sutazai.common.CborSerializable;
import java.util.List;

/**
 * The fleet as the supervisor sees it now.
 *
 * @param agents the agents that reported a status so far (all of them once recovered)
 * @param fleetSize how many agents the fleet spec has
 * @param engineUp the container engine answers
 * @param engine which engine, for display
 */
public record FleetStatus(String fleet, List<AgentStatus> agents, int fleetSize, boolean engineUp, String engine)
    implements CborSerializable {

  /** True when every agent has recovered and no agent that should run is still moving (starting, restarting, stopping). */
  public boolean settled() {
    return agents.size() == fleetSize && engineUp
        && agents.stream().noneMatch(a -> a.phase().transitional())
        && agents.stream().allMatch(a -> !a.desiredActive() || a.phase() != AgentPhase.INACTIVE);
  }
}
