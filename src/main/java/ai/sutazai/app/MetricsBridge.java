package ai.sutazai.app;

import ai.sutazai.metrics.MetricsCollector;
import ai.sutazai.supervisor.protocol.AgentEvent;
import ai.sutazai.supervisor.protocol.AgentEventPublished;
import ai.sutazai.supervisor.protocol.AgentPhase;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.eventstream.EventStream;
import akka.actor.typed.javadsl.Behaviors;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Feeds the metrics collector from the supervisor's published agent events (cold-start times and the
 * number of agents per phase) and from the agent front's {@link ai.sutazai.common.AgentResponded} (agents'
 * response times). It only listens; the journal stays the source of truth.
 */
final class MetricsBridge {
  private MetricsBridge() {}

  static Behavior<AgentEventPublished> create(ActorRef<MetricsCollector.Command> metrics) {
    return Behaviors.setup(ctx -> {
      ctx.getSystem().eventStream().tell(new EventStream.Subscribe<>(AgentEventPublished.class, ctx.getSelf()));
      ActorRef<ai.sutazai.common.AgentResponded> answers = ctx.spawn(Behaviors.receiveMessage(a -> {
        metrics.tell(new MetricsCollector.RecordAgentLatency(a.agent(), a.millis()));
        return Behaviors.same();
      }), "agent-answers");
      ctx.getSystem().eventStream().tell(new EventStream.Subscribe<>(ai.sutazai.common.AgentResponded.class, answers));
      Map<String, AgentPhase> phases = new HashMap<>();
      return Behaviors.receiveMessage(p -> {
        if (p.event() instanceof AgentEvent.BecameHealthy h && h.coldStartMillis() >= 0) {
          metrics.tell(new MetricsCollector.RecordColdStart(p.agent(), h.coldStartMillis()));
        }
        if (phases.put(p.agent(), p.status().phase()) != p.status().phase()) {
          Map<String, Integer> counts = new TreeMap<>();
          for (AgentPhase phase : AgentPhase.values()) {
            counts.put(phase.name().toLowerCase(java.util.Locale.ROOT), 0);
          }
          phases.values().forEach(ph -> counts.merge(ph.name().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum));
          metrics.tell(new MetricsCollector.AgentStateCount(counts));
        }
        return Behaviors.same();
      });
    });
  }
}
