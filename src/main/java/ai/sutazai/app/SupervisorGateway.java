package ai.sutazai.app;

import ai.sutazai.supervisor.protocol.SupervisorProtocol;

import ai.sutazai.inference.AgentAdmission;
import ai.sutazai.inference.AgentGateway;

import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.supervisor.protocol.ActivationSource;
import ai.sutazai.supervisor.FleetSupervisor;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The supervisor's side of {@link AgentGateway}: a request naming a fleet agent counts as that agent's
 * traffic and keeps it busy until the request ends ({@code Busy(agent, true)} at admission,
 * {@code Busy(agent, false)} when {@link #finished}), so a long generation is never stopped for idleness
 * or preempted; it asks for the agent's activation if it is not running (queued by priority like any
 * other request), and is served at the agent's priority. Agents the fleet does not know are served at
 * priority 0, so a router-only deployment works with any client.
 */
public final class SupervisorGateway implements AgentGateway {
  private final FleetSpec fleet;
  private final ActorRef<SupervisorProtocol.Command> supervisor;
  private final ActorSystem<?> system;

  public SupervisorGateway(FleetSpec fleet, ActorRef<SupervisorProtocol.Command> supervisor, ActorSystem<?> system) {
    this.fleet = fleet;
    this.supervisor = supervisor;
    this.system = system;
  }

  @Override
  public CompletionStage<AgentAdmission> admit(String agentName) {
    AgentSpec spec = fleet.agents().get(agentName);
    if (spec == null) {
      return CompletableFuture.completedFuture(AgentAdmission.admit(0));
    }
    supervisor.tell(new SupervisorProtocol.Busy(agentName, true));
    supervisor.tell(new SupervisorProtocol.Activate(agentName, ActivationSource.INFERENCE, "inference request", null,
        system.ignoreRef()));
    return CompletableFuture.completedFuture(AgentAdmission.admit(spec.priority()));
  }

  @Override
  public void finished(String agentName) {
    if (fleet.agents().containsKey(agentName)) {
      supervisor.tell(new SupervisorProtocol.Busy(agentName, false));
    }
  }
}
