package ai.sutazai.supervisor;

import ai.sutazai.supervisor.protocol.Notice;

import ai.sutazai.supervisor.agent.AgentEntity;
import ai.sutazai.supervisor.pool.AgentPool;
import ai.sutazai.supervisor.protocol.AgentPhase;
import ai.sutazai.supervisor.protocol.AgentStatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import akka.actor.testkit.typed.javadsl.BehaviorTestKit;
import akka.actor.testkit.typed.javadsl.TestInbox;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A node's notice router sends the status changes that arrive together as one message per pool (a
 * failover's burst crosses the network in few messages), keeps each pool's notices in the order they were
 * sent (a restart request never overtakes the changes before it), and keeps pools apart. Run synchronously
 * with the BehaviorTestKit, which shows exactly which messages go.
 */
class NoticeRouterTest {

  private static AgentStatus status(String agent, AgentPhase phase) {
    return new AgentStatus(agent, "p", phase, true, null, 0, "test", Instant.EPOCH, -1, Set.of(), 0, 1, 0.1, null);
  }

  @Test
  void changesArrivingTogetherGoAsOneBatchPerPoolAndRestartsKeepTheirPlace() {
    BehaviorTestKit<NoticeRouter.Command> router = BehaviorTestKit.create(NoticeRouter.create(Map.of("a", "p", "b", "p", "c", "q")));
    TestInbox<AgentPool.Command> p = TestInbox.create();
    TestInbox<AgentPool.Command> q = TestInbox.create();
    router.run(new NoticeRouter.Pools(Map.of("p", p.getRef(), "q", q.getRef())));

    router.run(new NoticeRouter.Forward(new Notice.StatusChanged(status("a", AgentPhase.STARTING))));
    router.run(new NoticeRouter.Forward(new Notice.StatusChanged(status("c", AgentPhase.STARTING))));
    router.run(new NoticeRouter.Forward(new Notice.StatusChanged(status("b", AgentPhase.STARTING))));
    Notice.RestartWanted restart = new Notice.RestartWanted("a", 1);
    router.run(new NoticeRouter.Forward(restart));
    router.run(new NoticeRouter.Forward(new Notice.StatusChanged(status("a", AgentPhase.HEALTHY))));
    assertFalse(q.hasMessages(), "changes wait for the router's flush");
    List<NoticeRouter.Command> own = router.selfInbox().getAllReceived();
    assertEquals(List.of(NoticeRouter.Flush.INSTANCE), own, "one flush, sent with the first change");
    own.forEach(router::run);

    List<AgentPool.Command> toP = p.getAllReceived();
    assertEquals(3, toP.size(), toP.toString());
    assertEquals(List.of("a", "b"), names(toP.get(0)));
    assertEquals(new AgentPool.Noticed(restart), toP.get(1));
    assertEquals(List.of("a"), names(toP.get(2)));
    assertEquals(AgentPhase.HEALTHY, ((AgentPool.StatusBatch) toP.get(2)).statuses().statuses().get(0).phase());
    List<AgentPool.Command> toQ = q.getAllReceived();
    assertEquals(1, toQ.size());
    assertEquals(List.of("c"), names(toQ.get(0)));
  }

  private static List<String> names(AgentPool.Command m) {
    return assertInstanceOf(AgentPool.StatusBatch.class, m).statuses().statuses().stream().map(AgentStatus::name).toList();
  }
}
