package ai.sutazai.supervisor.protocol;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import java.time.Instant;
import java.util.List;

/**
 * How other rooms (the management API, the inference router, the agent front, the CLI) ask the fleet supervisor:
 * the messages {@code FleetSupervisor} accepts from outside, and their answers. See {@code FleetSupervisor} for
 * what each one does.
 */
public final class SupervisorProtocol {
  private SupervisorProtocol() {}

  /** Everything the fleet supervisor accepts; its own timers and adapters implement it privately. */
  public interface Command {}

  public record GetStatus(ActorRef<FleetStatus> replyTo) implements Command {}

  /** Activation request with optional deadline (null = wait as long as it takes). */
  public record Activate(String agent, ActivationSource source, String reason, Instant deadline,
      ActorRef<StatusReply<ActivationResult>> replyTo) implements Command {}

  public record ActivateAgent(String agent, String reason, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  public record DeactivateAgent(String agent, String reason, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  public record ResetAgent(String agent, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  public record GetPools(ActorRef<List<PoolStatus>> replyTo) implements Command {}

  /**
   * Like {@link GetPools}, but answered within {@code within}: a pool that does not answer in time (its singleton
   * is moving to another node, or waits for its journal) is given as this node's last known status of it, marked
   * {@link PoolStatus#staleSince()}. A pool this node never heard from is left out.
   */
  public record GetPoolsOrLastKnown(java.time.Duration within, ActorRef<List<PoolStatus>> replyTo) implements Command {}

  public record SetQuota(String pool, Integer maxActive, Long memoryBudgetBytes, Double cpuBudget,
      ActorRef<StatusReply<PoolStatus>> replyTo) implements Command {}

  public record Touch(String agent) implements Command {}

  public record Busy(String agent, boolean inFlight) implements Command {}

  /** The most recent scaling decisions, oldest first, at most {@code limit}: of {@code pool}, or of every pool when null. */
  public record GetDecisions(String pool, int limit, ActorRef<List<ScalingDecision>> replyTo) implements Command {}
}
