package ai.sutazai.supervisor;

import ai.sutazai.supervisor.pool.AgentPool;
import ai.sutazai.supervisor.protocol.PoolStatus;
import ai.sutazai.supervisor.protocol.ScalingDecision;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Short-lived children of the fleet supervisor that ask every pool and answer with the combined list; a
 * pool that does not answer within the timeout is left out rather than failing the whole answer.
 */
final class Gather {
  private Gather() {}

  private interface Msg {}

  private record Part<T>(List<T> items) implements Msg {}

  private enum Timeout implements Msg { INSTANCE }

  static void pools(ActorContext<?> ctx, List<ActorRef<AgentPool.Command>> pools, ActorRef<List<PoolStatus>> replyTo,
      Duration timeout) {
    ctx.spawnAnonymous(Behaviors.<Msg>setup(c -> {
      ActorRef<PoolStatus> one = c.messageAdapter(PoolStatus.class, p -> new Part<>(List.of(p)));
      pools.forEach(p -> p.tell(new AgentPool.GetPool(one)));
      return collect(pools.size(), timeout, all -> {
        List<PoolStatus> out = new ArrayList<>();
        all.forEach(o -> out.add((PoolStatus) o));
        out.sort(Comparator.comparing(PoolStatus::name));
        replyTo.tell(List.copyOf(out));
      });
    }));
  }

  /**
   * Asks the pools in {@code asked} (by name) and answers within {@code within}: every pool that answered, and for
   * each pool of {@code all} that did not, its last known status from {@code lastKnown} marked stale since
   * {@code lastHeard} (left out when never known). The pools' own answers also go to {@code answered}, so the
   * supervisor keeps them as the last known.
   */
  static void poolsOrLastKnown(ActorContext<?> ctx, Map<String, ActorRef<AgentPool.Command>> asked, List<String> all,
      Map<String, PoolStatus> lastKnown, Map<String, Instant> lastHeard, ActorRef<List<PoolStatus>> replyTo,
      ActorRef<List<PoolStatus>> answered, Duration within) {
    ctx.spawnAnonymous(Behaviors.<Msg>setup(c -> {
      ActorRef<PoolStatus> one = c.messageAdapter(PoolStatus.class, p -> new Part<>(List.of(p)));
      asked.values().forEach(p -> p.tell(new AgentPool.GetPool(one)));
      return collect(asked.size(), within, got -> {
        Map<String, PoolStatus> out = new TreeMap<>();
        got.forEach(o -> out.put(((PoolStatus) o).name(), (PoolStatus) o));
        answered.tell(List.copyOf(out.values()));
        for (String name : all) {
          PoolStatus last = lastKnown.get(name);
          if (!out.containsKey(name) && last != null) {
            out.put(name, last.stale(lastHeard.getOrDefault(name, Instant.EPOCH)));
          }
        }
        replyTo.tell(List.copyOf(out.values()));
      });
    }));
  }

  static void decisions(ActorContext<?> ctx, List<ActorRef<AgentPool.Command>> pools, int limit,
      ActorRef<List<ScalingDecision>> replyTo, Duration timeout) {
    ctx.spawnAnonymous(Behaviors.<Msg>setup(c -> {
      ActorRef<AgentPool.Decisions> one = c.messageAdapter(AgentPool.Decisions.class, d -> new Part<>(d.decisions()));
      pools.forEach(p -> p.tell(new AgentPool.GetDecisions(limit, one)));
      return collect(pools.size(), timeout, all -> {
        List<ScalingDecision> out = new ArrayList<>();
        all.forEach(o -> out.add((ScalingDecision) o));
        out.sort(Comparator.comparing(ScalingDecision::at));
        replyTo.tell(List.copyOf(out.subList(Math.max(0, out.size() - Math.max(0, limit)), out.size())));
      });
    }));
  }

  private static Behavior<Msg> collect(int expected, Duration timeout, java.util.function.Consumer<List<Object>> done) {
    List<Object> items = new ArrayList<>();
    int[] answered = {0};
    if (expected == 0) {
      done.accept(items);
      return Behaviors.stopped();
    }
    return Behaviors.withTimers(timers -> {
      timers.startSingleTimer(Timeout.INSTANCE, timeout);
      return Behaviors.receive(Msg.class)
          .onMessage(Part.class, p -> {
            items.addAll(p.items());
            if (++answered[0] == expected) {
              done.accept(items);
              return Behaviors.stopped();
            }
            return Behaviors.same();
          })
          .onMessageEquals(Timeout.INSTANCE, () -> {
            done.accept(items);
            return Behaviors.stopped();
          })
          .build();
    });
  }
}
