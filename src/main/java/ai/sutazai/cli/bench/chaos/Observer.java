package ai.sutazai.cli.bench.chaos;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * What the bench measures, from the engine and the agents' own HTTP ports, never from the supervisor:
 * every {@code interval} it lists the fleet's containers (all states), probes each running agent's
 * {@code /health} itself, and reads the engine's container events since the last look (starts and OOM kills).
 * An agent is healthy at a sample when a container of it runs and its probe answers 200 within the timeout.
 */
final class Observer {
  /** One agent of the chaos fleet: its HTTP port, and whether it runs only when activated. */
  record Agent(String name, int port, boolean onDemand) {}

  /** A start of an agent's container after its first one: a restart, seen in the engine's events. */
  record Restart(String agent, long atMillis) {}

  private final DockerClient docker;
  private final String fleet;
  private final List<Agent> agents;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Duration probeTimeout;

  /** Agents counted in agent-time healthy: the always-on ones, and activated on-demand ones once first healthy. */
  private final Set<String> wanted = ConcurrentHashMap.newKeySet();
  private final Set<String> activated = ConcurrentHashMap.newKeySet();
  private final Set<String> startedOnce = new HashSet<>();
  private final Set<String> seenEvents = new HashSet<>();
  private final Set<String> duplicates = new HashSet<>();
  final List<Restart> restarts = new CopyOnWriteArrayList<>();
  final List<Fault> faults = new CopyOnWriteArrayList<>();
  private volatile Set<String> healthyNow = Set.of();
  private volatile boolean measuring;
  private long lastSampleMillis = -1;
  private String eventsSince;
  private double healthyMillis;
  private double wantedMillis;
  /** Agent-time unhealthy while the engine itself was stopped or starting: no supervisor can help that. */
  private double engineOutageMillis;
  int oomKillsSeen;
  int samples;
  int engineDownSamples;

  Observer(DockerClient docker, String fleet, List<Agent> agents, Duration probeTimeout) {
    this.docker = docker;
    this.fleet = fleet;
    this.agents = agents;
    this.probeTimeout = probeTimeout;
    agents.stream().filter(a -> !a.onDemand()).forEach(a -> wanted.add(a.name()));
    eventsSince = seconds(System.currentTimeMillis() - 1000);
  }

  /** An activation of this on-demand agent was acknowledged: it is wanted from its first healthy sample on. */
  void activated(String agent) {
    activated.add(agent);
  }

  Set<String> healthy() {
    return healthyNow;
  }

  Set<String> wanted() {
    return Set.copyOf(wanted);
  }

  void startMeasuring() {
    measuring = true;
  }

  void stopMeasuring() {
    measuring = false;
  }

  double agentTimeHealthy() {
    return wantedMillis == 0 ? Double.NaN : healthyMillis / wantedMillis;
  }

  /** Share of the wanted agent-time lost while the engine was down (stopping, stopped, starting). */
  double engineOutageShare() {
    return wantedMillis == 0 ? Double.NaN : engineOutageMillis / wantedMillis;
  }

  int duplicateContainers() {
    return duplicates.size();
  }

  private static String seconds(long millis) {
    return String.format(java.util.Locale.ROOT, "%d.%03d000000", millis / 1000, millis % 1000);
  }

  /** One look: engine, probes, events; accounting since the last one. Called from one thread only. */
  void sample() {
    long now = System.currentTimeMillis();
    Map<String, List<Container>> byAgent = new HashMap<>();
    boolean engineUp = true;
    try {
      for (Container c : docker.listContainersCmd().withShowAll(true)
          .withLabelFilter(Map.of("sutazai.fleet", fleet)).exec()) {
        String agent = c.getLabels() == null ? null : c.getLabels().get("sutazai.agent");
        if (agent != null) {
          byAgent.computeIfAbsent(agent, a -> new ArrayList<>()).add(c);
        }
      }
    } catch (RuntimeException e) {
      engineUp = false;
      engineDownSamples++;
    }
    // Duplicates: two containers of one agent at the same time, in any state (creation is idempotent by name).
    byAgent.forEach((agent, cs) -> {
      if (cs.size() > 1) {
        cs.stream().sorted(Comparator.comparing(Container::getCreated)).skip(1).forEach(c -> duplicates.add(c.getId()));
      }
    });
    Map<String, CompletableFuture<Boolean>> probes = new HashMap<>();
    for (Agent a : agents) {
      boolean running = byAgent.getOrDefault(a.name(), List.of()).stream().anyMatch(c -> "running".equals(c.getState()));
      if (running) {
        probes.put(a.name(), http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.port() + "/health"))
                .timeout(probeTimeout).build(), HttpResponse.BodyHandlers.discarding())
            .handle((r, err) -> err == null && r.statusCode() == 200));
      }
    }
    Set<String> healthy = new HashSet<>();
    probes.forEach((agent, f) -> {
      try {
        if (f.get(probeTimeout.toMillis() + 2000, TimeUnit.MILLISECONDS)) {
          healthy.add(agent);
        }
      } catch (Exception e) {
        // not healthy at this sample
      }
    });
    healthyNow = Set.copyOf(healthy);
    for (String a : activated) {
      if (healthy.contains(a)) {
        wanted.add(a);
      }
    }
    if (engineUp) {
      readEvents(now);
    }
    if (measuring && lastSampleMillis > 0) {
      long dt = now - lastSampleMillis;
      boolean engineOutage = faults.stream().anyMatch(f -> f.kind.equals("engine-restart") && f.atMillis <= now
          && (f.endMillis < 0 || now <= f.endMillis));
      for (String a : wanted) {
        wantedMillis += dt;
        if (healthy.contains(a)) {
          healthyMillis += dt;
        } else if (engineOutage) {
          engineOutageMillis += dt;
        }
      }
      samples++;
    }
    lastSampleMillis = now;
    heal(now, healthy);
  }

  private void heal(long now, Set<String> healthy) {
    for (Fault f : faults) {
      if (f.healedMillis >= 0 || now < f.atMillis) {
        continue;
      }
      if (f.kind.equals("kill") || f.kind.equals("oom")) {
        if (!healthy.containsAll(f.hit)) {
          f.seenDown = true;
        } else if (f.seenDown) {
          f.healedMillis = now;
        }
      } else if (f.endMillis >= 0 && healthy.containsAll(wanted)) {
        f.healedMillis = now;
      }
    }
  }

  private void readEvents(long now) {
    String until = seconds(now);
    List<Event> got = new ArrayList<>();
    try {
      docker.eventsCmd().withSince(eventsSince).withUntil(until)
          .withEventTypeFilter(com.github.dockerjava.api.model.EventType.CONTAINER)
          .withLabelFilter(Map.of("sutazai.fleet", fleet))
          .exec(new ResultCallback.Adapter<Event>() {
            @Override
            public void onNext(Event e) {
              got.add(e);
            }
          }).awaitCompletion(10, TimeUnit.SECONDS);
    } catch (RuntimeException | InterruptedException e) {
      return; // read again from the same point next time
    }
    eventsSince = until;
    got.sort(Comparator.comparing(e -> e.getTimeNano() == null ? 0L : e.getTimeNano()));
    for (Event e : got) {
      String key = e.getId() + "/" + e.getAction() + "/" + e.getTimeNano();
      if (!seenEvents.add(key) || e.getActor() == null || e.getActor().getAttributes() == null) {
        continue;
      }
      String agent = e.getActor().getAttributes().get("sutazai.agent");
      if (agent == null) {
        continue;
      }
      long t = e.getTimeNano() == null ? now : e.getTimeNano() / 1_000_000;
      if ("start".equals(e.getAction())) {
        if (!startedOnce.add(agent)) {
          restarts.add(new Restart(agent, t));
        }
      } else if ("oom".equals(e.getAction())) {
        oomKillsSeen++;
      }
    }
  }
}
