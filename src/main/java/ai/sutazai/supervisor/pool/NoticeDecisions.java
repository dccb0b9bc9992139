package ai.sutazai.supervisor.pool;

import ai.sutazai.supervisor.protocol.Notice;

import ai.sutazai.supervisor.agent.AgentEntity;
import ai.sutazai.supervisor.pool.ledger.PoolEvent;
import ai.sutazai.supervisor.pool.ledger.PoolState;
import ai.sutazai.supervisor.pool.ledger.QueueDecisions;
import ai.sutazai.supervisor.protocol.AgentStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link AgentPool}'s handling of what its agents (through the {@link NoticeInbox}) and other pools
 * (through the status topic) tell it: status changes are observed (see {@link PoolAgents#observe}), restart
 * requests are queued for the {@link PoolRestarts}, and when quota was freed the queue is drained. Returns
 * the events; the pool journals them. Used only from the pool's actor thread.
 */
final class NoticeDecisions {
  /** The decisions on a batch of notices, and whether restart requests are waiting to be granted. */
  record Outcome(List<PoolEvent> events, boolean restartsWanted) {}

  private final PoolAgents agents;
  private final PoolRestarts restarts;
  private final QueueDecisions queue;
  private final PoolQuota quota;

  NoticeDecisions(PoolAgents agents, PoolRestarts restarts, QueueDecisions queue, PoolQuota quota) {
    this.agents = agents;
    this.restarts = restarts;
    this.queue = queue;
    this.quota = quota;
  }

  /** A batch of notices: statuses and restart requests, then one round of decisions (adoptions, drain). */
  Outcome notices(PoolState s, List<Notice> notices) {
    List<PoolEvent> events = new ArrayList<>();
    boolean freed = false;
    boolean restartsWanted = false;
    for (Notice n : notices) {
      if (n instanceof Notice.StatusChanged c) {
        freed |= agents.observe(s, c.status(), true, events);
      } else if (n instanceof Notice.RestartWanted w) {
        restarts.want(w);
        restartsWanted = true;
      }
    }
    drainIfFreed(s, freed, events);
    return new Outcome(events, restartsWanted);
  }

  /** Status changes of other pools' agents, then one round of decisions. */
  List<PoolEvent> peerStatuses(PoolState s, List<AgentStatus> statuses) {
    List<PoolEvent> events = new ArrayList<>();
    boolean freed = false;
    for (AgentStatus status : statuses) {
      freed |= agents.observe(s, status, false, events);
    }
    drainIfFreed(s, freed, events);
    return events;
  }

  private void drainIfFreed(PoolState s, boolean freed, List<PoolEvent> events) {
    if (freed && !s.queue().isEmpty()) {
      events.addAll(queue.drain(s, quota.budget(), Instant.now()));
    }
  }
}
