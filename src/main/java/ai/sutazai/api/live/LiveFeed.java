package ai.sutazai.api.live;

import ai.sutazai.api.view.LiveUpdate;
import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.metrics.MetricsCollector;
import ai.sutazai.metrics.stats.Sample;
import ai.sutazai.supervisor.protocol.AgentEventPublished;
import ai.sutazai.supervisor.protocol.ScalingDecision;
import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.eventstream.EventStream;
import akka.actor.typed.javadsl.Behaviors;
import akka.japi.Pair;
import akka.stream.OverflowStrategy;
import akka.stream.javadsl.BroadcastHub;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Source;
import akka.stream.javadsl.SourceQueueWithComplete;

/**
 * One hot stream of live updates for every SSE subscriber: agent events and the scaling decisions of the
 * pools on this node from the event stream, and host samples from the metrics collector. A slow subscriber
 * loses the oldest updates; producers never wait.
 */
final class LiveFeed {
  private static final int BUFFER = 256;

  private final Source<LiveUpdate, NotUsed> source;

  private LiveFeed(Source<LiveUpdate, NotUsed> source) {
    this.source = source;
  }

  Source<LiveUpdate, NotUsed> source() {
    return source;
  }

  static LiveFeed start(ActorSystem<?> system, FleetSpec fleet, ActorRef<MetricsCollector.Command> metrics,
      java.util.function.ToIntFunction<String> heldRequests) {
    Pair<SourceQueueWithComplete<LiveUpdate>, Source<LiveUpdate, NotUsed>> hub =
        Source.<LiveUpdate>queue(BUFFER, OverflowStrategy.dropHead())
            .toMat(BroadcastHub.of(LiveUpdate.class, BUFFER), Keep.both())
            .run(system);
    // Keep the hub draining when nobody listens, so offers never back up.
    hub.second().runWith(akka.stream.javadsl.Sink.ignore(), system);
    SourceQueueWithComplete<LiveUpdate> queue = hub.first();
    system.systemActorOf(agentEvents(fleet, queue, heldRequests), "live-agent-events", Props.empty());
    system.systemActorOf(decisions(fleet, queue), "live-decisions", Props.empty());
    if (metrics != null) {
      system.systemActorOf(samples(metrics, queue), "live-samples", Props.empty());
    }
    return new LiveFeed(hub.second());
  }

  private static Behavior<AgentEventPublished> agentEvents(FleetSpec fleet, SourceQueueWithComplete<LiveUpdate> queue,
      java.util.function.ToIntFunction<String> heldRequests) {
    return Behaviors.setup(ctx -> {
      ctx.getSystem().eventStream().tell(new EventStream.Subscribe<>(AgentEventPublished.class, ctx.getSelf()));
      return Behaviors.receiveMessage(p -> {
        AgentSpec spec = fleet.agents().get(p.agent());
        if (spec != null && p.fleet().equals(fleet.name())) {
          var event = Views.event(p.agent(), p.seqNr(), p.event());
          queue.offer(new LiveUpdate.AgentEvent(event, Views.agent(spec, p.status(), null, null, event,
              heldRequests.applyAsInt(p.agent()))));
        }
        return Behaviors.same();
      });
    });
  }

  /** Decisions of the pools that run on this node (a pool publishes where it runs, see ScalingDecision). */
  private static Behavior<ScalingDecision> decisions(FleetSpec fleet, SourceQueueWithComplete<LiveUpdate> queue) {
    return Behaviors.setup(ctx -> {
      ctx.getSystem().eventStream().tell(new EventStream.Subscribe<>(ScalingDecision.class, ctx.getSelf()));
      return Behaviors.receiveMessage(d -> {
        if (d.fleet().equals(fleet.name())) {
          queue.offer(new LiveUpdate.Decision(Views.decision(d)));
        }
        return Behaviors.same();
      });
    });
  }

  private static Behavior<Sample> samples(ActorRef<MetricsCollector.Command> metrics, SourceQueueWithComplete<LiveUpdate> queue) {
    return Behaviors.setup(ctx -> {
      metrics.tell(new MetricsCollector.Subscribe(ctx.getSelf()));
      return Behaviors.receiveMessage(s -> {
        queue.offer(new LiveUpdate.Sample(Observations.sample(s)));
        return Behaviors.same();
      });
    });
  }
}
