package ai.sutazai.supervisor.pool.ledger;

import ai.sutazai.supervisor.protocol.QueueEntry;
import ai.sutazai.supervisor.protocol.ScalingDecision;

import ai.sutazai.common.CborSerializable;
import java.time.Instant;

/**
 * The journalled quota ledger of one pool: every event is a scaling decision with its reason. The pool's
 * requested agents, its queue and its runtime quota are rebuilt from these after a crash.
 */
public sealed interface PoolEvent extends CborSerializable {
  public Instant at();

  public String agent();

  public String reason();

  public ScalingDecision.Kind kind();

  /** An acknowledged request joined the queue. */
  public record Queued(QueueEntry entry, String reason, Instant at) implements PoolEvent {
    public String agent() {
      return entry.agent();
    }

    public ScalingDecision.Kind kind() {
      return ScalingDecision.Kind.QUEUED;
    }
  }

  /** The agent (with its dependencies) was admitted; {@code seq} is its queue entry, -1 if it never waited. */
  public record Admitted(long seq, String agent, String reason, Instant at) implements PoolEvent {
    public ScalingDecision.Kind kind() {
      return ScalingDecision.Kind.ADMITTED;
    }
  }

  /** A request was refused (never fits, deadline passed, agent parked...); {@code seq} -1 if it never waited. */
  public record Rejected(long seq, String agent, String reason, Instant at) implements PoolEvent {
    public ScalingDecision.Kind kind() {
      return ScalingDecision.Kind.REJECTED;
    }
  }

  /** The agent is no longer requested: stopped on request, for idleness, or preempted; its quota is released. */
  public record Released(String agent, ScalingDecision.Kind kind, String reason, Instant at) implements PoolEvent {}

  /** A dependency no active agent needs any more was released (decision only; it follows from the rest). */
  public record DependencyReleased(String agent, String reason, Instant at) implements PoolEvent {
    public ScalingDecision.Kind kind() {
      return ScalingDecision.Kind.RELEASED;
    }
  }

  /** An agent found running without the ledger knowing it (journal written before the ledger) now counts as requested. */
  public record Adopted(String agent, String reason, Instant at) implements PoolEvent {
    public ScalingDecision.Kind kind() {
      return ScalingDecision.Kind.ADOPTED;
    }
  }

  /** The quota was changed at runtime; 0 budgets mean host x utilisation target. */
  public record QuotaChanged(int maxActive, long memoryBudgetBytes, double cpuBudget, String reason, Instant at) implements PoolEvent {
    public String agent() {
      return null;
    }

    public ScalingDecision.Kind kind() {
      return ScalingDecision.Kind.QUOTA_CHANGED;
    }
  }

  /** A running container's limits were right-sized (the limits themselves are journalled by the agent). */
  public record Resized(String agent, String reason, Instant at) implements PoolEvent {
    public ScalingDecision.Kind kind() {
      return ScalingDecision.Kind.RESIZED;
    }
  }
}
