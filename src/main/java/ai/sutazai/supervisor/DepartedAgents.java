package ai.sutazai.supervisor;

import ai.sutazai.fleet.FleetSpec;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.persistence.query.PersistenceQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Agents the journal knows for this fleet that the fleet spec no longer has: each is told to journal
 * {@link AgentEvent.Removed} (and remove its container, if one is left). Runs once when the supervisor
 * starts; an agent already removed only acknowledges, so every node of a cluster may do it.
 */
final class DepartedAgents {
  static final String REASON = "left the fleet";
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DepartedAgents.class);

  private DepartedAgents() {}

  /** The names of this fleet's agents in the journal that are not in {@code fleet}. */
  static CompletionStage<List<String>> find(ActorSystem<?> system, FleetSpec fleet) {
    String prefix = AgentEntity.persistenceId(fleet.name(), "").id();
    JdbcReadJournal read = PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    return read.currentPersistenceIds()
        .filter(id -> id.startsWith(prefix))
        .map(id -> id.substring(prefix.length()))
        .filter(name -> !fleet.agents().containsKey(name))
        .runFold(new ArrayList<String>(), (acc, name) -> {
          acc.add(name);
          return acc;
        }, system)
        .thenApply(List::copyOf);
  }

  /** Finds the departed agents and tells each one's entity to journal its removal; logs what it did. */
  static void removeAll(ActorSystem<?> system, ClusterSharding sharding, FleetSpec fleet) {
    find(system, fleet).whenComplete((names, err) -> {
      if (err != null) {
        LOG.warn("could not read from the journal which agents left fleet {}: {}", fleet.name(), err.toString());
        return;
      }
      if (!names.isEmpty()) {
        LOG.info("{} agent(s) left fleet {} and are journalled as removed: {}", names.size(), fleet.name(),
            NodeContainers.sample(names));
      }
      for (String name : names) {
        sharding.entityRefFor(AgentEntity.TYPE_KEY, name).tell(new AgentEntity.Remove(REASON, system.ignoreRef()));
      }
    });
  }
}
