package ai.sutazai.supervisor.healthfix;

import ai.sutazai.runtime.Labels;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.HealthStateLog;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reads what health-fix plans from: the labelled containers (inspect, health log), their die events in
 * the crash-loop window (the engine's event history), and labelled volumes and networks no container
 * uses. Everything is listed with the engine-side label filter {@code sutazai.managed=true} and checked
 * again here; unlabelled resources are never looked at further.
 */
final class DockerObserver {
  /** Docker's health-check defaults when the image or container leaves a field at 0. */
  private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  private static final int DEFAULT_RETRIES = 3;

  private final DockerClient client;
  private final Clock clock;

  DockerObserver(DockerClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** The labelled containers (of {@code fleetOrNull}, else of every fleet), as observations. */
  List<Observation> containers(String fleetOrNull, Duration crashLoopWindow) {
    List<Container> listed = client.listContainersCmd().withShowAll(true).withLabelFilter(filter(fleetOrNull)).exec();
    Map<String, Integer> deaths = deathsSince(clock.instant().minus(crashLoopWindow), fleetOrNull);
    List<Observation> result = new ArrayList<>();
    for (Container c : listed) {
      if (!managed(c.getLabels(), fleetOrNull)) {
        continue;
      }
      InspectContainerResponse inspect;
      try {
        inspect = client.inspectContainerCmd(c.getId()).exec();
      } catch (NotFoundException gone) {
        continue;
      }
      Map<String, String> labels = inspect.getConfig().getLabels();
      if (!managed(labels, fleetOrNull)) {
        continue;
      }
      result.add(observe(inspect, labels, deaths.getOrDefault(inspect.getId(), 0)));
    }
    return result;
  }

  /** Labelled volumes and networks that no container uses. */
  List<UnusedResource> unused(String fleetOrNull) {
    List<UnusedResource> result = new ArrayList<>();
    Map<String, String> filter = filter(fleetOrNull);
    List<String> labelFilter = filter.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    List<InspectVolumeResponse> volumes = client.listVolumesCmd()
        .withFilter("label", labelFilter).withDanglingFilter(true).exec().getVolumes();
    for (InspectVolumeResponse v : volumes == null ? List.<InspectVolumeResponse>of() : volumes) {
      if (managed(v.getLabels(), fleetOrNull)) {
        result.add(new UnusedResource(Fix.Kind.REMOVE_VOLUME, v.getName(), v.getName(), v.getLabels().get(Labels.FLEET)));
      }
    }
    for (Network n : client.listNetworksCmd().withFilter("label", labelFilter).exec()) {
      if (!managed(n.getLabels(), fleetOrNull)) {
        continue;
      }
      Network inspected = client.inspectNetworkCmd().withNetworkId(n.getId()).exec();
      if (inspected.getContainers() == null || inspected.getContainers().isEmpty()) {
        result.add(new UnusedResource(Fix.Kind.REMOVE_NETWORK, n.getId(), n.getName(), n.getLabels().get(Labels.FLEET)));
      }
    }
    return result;
  }

  static boolean managed(Map<String, String> labels, String fleetOrNull) {
    return labels != null && "true".equals(labels.get(Labels.MANAGED))
        && (fleetOrNull == null || fleetOrNull.equals(labels.get(Labels.FLEET)));
  }

  private static Map<String, String> filter(String fleetOrNull) {
    return fleetOrNull == null ? Map.of(Labels.MANAGED, "true") : Map.of(Labels.MANAGED, "true", Labels.FLEET, fleetOrNull);
  }

  /** Die events of labelled containers since {@code since}, per container id, from the engine's history. */
  private Map<String, Integer> deathsSince(Instant since, String fleetOrNull) {
    Map<String, Integer> deaths = new HashMap<>();
    ResultCallback.Adapter<Event> callback = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Event event) {
        Map<String, String> attributes = event.getActor() == null ? null : event.getActor().getAttributes();
        if ("die".equals(event.getAction()) && managed(attributes, fleetOrNull)) {
          synchronized (deaths) {
            deaths.merge(event.getActor().getId(), 1, Integer::sum);
          }
        }
      }
    };
    try {
      client.eventsCmd().withSince(String.valueOf(since.getEpochSecond()))
          .withUntil(String.valueOf(clock.instant().getEpochSecond()))
          .withEventTypeFilter(EventType.CONTAINER).withEventFilter("die")
          .withLabelFilter(filter(fleetOrNull)).exec(callback);
      callback.awaitCompletion(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        callback.close();
      } catch (java.io.IOException ignored) {
        // the history stream is finished either way
      }
    }
    synchronized (deaths) {
      return Map.copyOf(deaths);
    }
  }

  private static Observation observe(InspectContainerResponse inspect, Map<String, String> labels, int deaths) {
    InspectContainerResponse.ContainerState state = inspect.getState();
    String name = inspect.getName() != null && inspect.getName().startsWith("/") ? inspect.getName().substring(1) : inspect.getName();
    HealthState health = state.getHealth();
    List<Observation.Probe> probes = new ArrayList<>();
    if (health != null && health.getLog() != null) {
      for (HealthStateLog log : health.getLog()) {
        Instant start = instant(log.getStart());
        Instant end = instant(log.getEnd());
        if (start != null && end != null) {
          probes.add(new Observation.Probe(start, end,
              log.getExitCodeLong() == null ? -1 : log.getExitCodeLong().intValue(), log.getOutput()));
        }
      }
    }
    Optional<Observation.HealthCheck> healthCheck = Optional.ofNullable(inspect.getConfig().getHealthcheck())
        .filter(h -> h.getTest() != null && !h.getTest().isEmpty() && !"NONE".equals(h.getTest().get(0)))
        .map(h -> new Observation.HealthCheck(h.getTest(),
            nanos(h.getInterval(), DEFAULT_INTERVAL), nanos(h.getTimeout(), DEFAULT_TIMEOUT),
            nanos(h.getStartPeriod(), Duration.ZERO), h.getRetries() == null || h.getRetries() == 0 ? DEFAULT_RETRIES : h.getRetries()));
    Instant started = instant(state.getStartedAt());
    return new Observation(inspect.getId(), name, labels.get(Labels.FLEET), labels.get(Labels.AGENT),
        state.getStatus(), health == null || health.getStatus() == null ? "none" : health.getStatus(),
        state.getExitCodeLong() == null ? 0 : state.getExitCodeLong().intValue(),
        Boolean.TRUE.equals(state.getOOMKilled()),
        inspect.getRestartCount() == null ? 0 : inspect.getRestartCount(),
        deaths,
        started == null ? Instant.EPOCH : started,
        inspect.getHostConfig() == null || inspect.getHostConfig().getMemory() == null ? 0 : inspect.getHostConfig().getMemory(),
        healthCheck, probes);
  }

  private static Duration nanos(Long value, Duration fallback) {
    return value == null || value <= 0 ? fallback : Duration.ofNanos(value);
  }

  private static Instant instant(String dockerTime) {
    if (dockerTime == null || dockerTime.isEmpty() || dockerTime.startsWith("0001-")) {
      return null;
    }
    try {
      return Instant.parse(dockerTime);
    } catch (DateTimeParseException e) {
      try {
        return java.time.OffsetDateTime.parse(dockerTime).toInstant();
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }
}
