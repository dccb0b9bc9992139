package ai.sutazai.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Statistics;
import com.typesafe.config.Config;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@link ContainerRuntime} on a real Docker engine through docker-java (httpclient5 transport).
 *
 * <p>Hazard: the engine also runs containers that are not ours. Every method that takes an id inspects
 * the container first and throws {@link NotManagedException} unless it carries
 * {@code sutazai.managed=true}; listings filter by that label on the engine side and check it again
 * here. Nothing in this class creates networks or sets a Docker restart policy (the supervisor restarts).
 *
 * <p>Two clients: one whose responses time out after {@code api-timeout}, for ordinary calls, and one
 * without a response timeout for calls that are silent by nature (event stream, see {@link DockerEventStream};
 * exec output; stop with
 * a grace period); their own timeouts bound those.
 */
public final class DockerRuntime implements ContainerRuntime {
  /** Exec output kept, in bytes; the rest is dropped (probes print little). */
  private static final int MAX_EXEC_OUTPUT_BYTES = 64 * 1024;

  private final String host;
  private final Duration apiTimeout;
  private final DockerClient client;
  private final DockerClient streamClient;
  private final DockerErrors errors;
  /** Parent cgroup of every container created ({@code --cgroup-parent}); empty = the engine's default. */
  private final String cgroupParent;

  private DockerRuntime(String host, Duration apiTimeout, String cgroupParent) {
    this.host = host;
    this.apiTimeout = apiTimeout;
    this.cgroupParent = cgroupParent == null ? "" : cgroupParent;
    this.client = DockerClients.create(host, apiTimeout);
    this.streamClient = DockerClients.create(host, null);
    this.errors = new DockerErrors(host);
  }

  /** A runtime for {@code host} (e.g. {@code unix:///var/run/docker.sock}); does not contact the engine. */
  public static DockerRuntime create(String host, Duration apiTimeout) {
    return new DockerRuntime(host, apiTimeout, "");
  }

  /**
   * Reads {@code sutazai.docker.host} (DOCKER_HOST honoured), {@code sutazai.docker.api-timeout} and
   * {@code sutazai.docker.cgroup-parent}.
   */
  public static DockerRuntime fromConfig(Config config) {
    return new DockerRuntime(DockerClients.host(config), DockerClients.apiTimeout(config),
        config.hasPath(CGROUP_PARENT_KEY) ? config.getString(CGROUP_PARENT_KEY) : "");
  }

  /** Config key of the parent cgroup the containers are created under (empty: the engine's default). */
  public static final String CGROUP_PARENT_KEY = "sutazai.docker.cgroup-parent";

  @Override
  public void ping() {
    try {
      client.pingCmd().exec();
    } catch (RuntimeException e) {
      throw new RuntimeUnavailableException(
          "Docker engine not reachable at " + host + ": " + DockerErrors.rootMessage(e), e);
    }
  }

  @Override
  public List<ContainerInfo> listManaged(String fleet) {
    return list(Map.of(Labels.MANAGED, "true", Labels.FLEET, fleet), fleet);
  }

  @Override
  public List<ContainerInfo> listAllManaged() {
    return list(Map.of(Labels.MANAGED, "true"), null);
  }

  private List<ContainerInfo> list(Map<String, String> labelFilter, String fleet) {
    List<Container> containers = call("list", fleet == null ? "(all fleets)" : "(fleet " + fleet + ")",
        () -> client.listContainersCmd().withShowAll(true).withLabelFilter(labelFilter).exec());
    List<ContainerInfo> result = new ArrayList<>();
    for (Container c : containers) {
      if (!DockerMapping.isManaged(c.getLabels()) || (fleet != null && !fleet.equals(c.getLabels().get(Labels.FLEET)))) {
        continue; // the engine's filter let it through; we do not
      }
      inspectRaw(c.getId()).filter(i -> DockerMapping.isManaged(DockerMapping.labels(i)))
          .map(DockerMapping::info).ifPresent(result::add);
    }
    return result;
  }

  @Override
  public String create(ContainerSpec spec) {
    Map<String, String> labels = new HashMap<>(spec.extraLabels());
    labels.put(Labels.MANAGED, "true");
    labels.put(Labels.FLEET, spec.fleet());
    labels.put(Labels.AGENT, spec.agent());
    HostConfig hostConfig = HostConfig.newHostConfig()
        .withNetworkMode(spec.hostNetwork() ? "host" : "none")
        .withRestartPolicy(RestartPolicy.noRestart());
    if (!cgroupParent.isEmpty()) {
      hostConfig.withCgroupParent(cgroupParent);
    }
    if (spec.memoryLimitBytes() > 0) {
      hostConfig.withMemory(spec.memoryLimitBytes()).withMemorySwap(spec.memoryLimitBytes());
    }
    if (spec.memoryReservationBytes() > 0) {
      hostConfig.withMemoryReservation(Math.min(spec.memoryReservationBytes(),
          spec.memoryLimitBytes() > 0 ? spec.memoryLimitBytes() : Long.MAX_VALUE));
    }
    if (spec.cpus() > 0) {
      hostConfig.withNanoCPUs(Math.round(spec.cpus() * 1e9));
    }
    DockerSecurity.apply(spec.security(), hostConfig);
    List<String> env = new ArrayList<>();
    spec.env().forEach((k, v) -> env.add(k + "=" + v));
    try {
      return call("create", spec.name(), () -> {
        CreateContainerCmd cmd = client.createContainerCmd(spec.image())
            .withName(spec.name()).withLabels(labels).withEnv(env).withHostConfig(hostConfig);
        if (!spec.command().isEmpty()) {
          cmd.withCmd(spec.command());
        }
        if (!spec.security().user().isEmpty()) {
          cmd.withUser(spec.security().user());
        }
        return cmd.exec().getId();
      });
    } catch (ContainerOperationException e) {
      if (!(e.getCause() instanceof ConflictException)) {
        throw e;
      }
      return existing(spec);
    }
  }

  /** After a name conflict: the existing container's id if it is ours and the same agent's. */
  private String existing(ContainerSpec spec) {
    InspectContainerResponse found = inspectRaw(spec.name()).orElseThrow(() -> new ContainerOperationException(
        "create", spec.name(), "name conflict, but no container of that name exists any more; retry", null));
    Map<String, String> labels = DockerMapping.labels(found);
    if (!DockerMapping.isManaged(labels)) {
      throw new NotManagedException(spec.name() + " (" + shortId(found.getId()) + ")");
    }
    if (!spec.fleet().equals(labels.get(Labels.FLEET)) || !spec.agent().equals(labels.get(Labels.AGENT))) {
      throw new ContainerOperationException("create", spec.name(), "the name is taken by agent "
          + labels.get(Labels.AGENT) + " of fleet " + labels.get(Labels.FLEET), null);
    }
    return found.getId();
  }

  @Override
  public void start(String containerId) {
    requireManaged(containerId, "start");
    try {
      call("start", containerId, () -> client.startContainerCmd(containerId).exec());
    } catch (ContainerOperationException e) {
      if (!(e.getCause() instanceof NotModifiedException)) {
        throw e;
      }
    }
  }

  @Override
  public void stop(String containerId, Duration timeout) {
    if (managedOrAbsent(containerId, "stop").isEmpty()) {
      return;
    }
    int seconds = (int) Math.max(0, Math.min(Integer.MAX_VALUE, (timeout.toMillis() + 999) / 1000));
    try {
      call("stop", containerId, () -> streamClient.stopContainerCmd(containerId).withTimeout(seconds).exec());
    } catch (ContainerOperationException e) {
      if (!(e.getCause() instanceof NotModifiedException) && !(e.getCause() instanceof NotFoundException)) {
        throw e;
      }
    }
  }

  @Override
  public void remove(String containerId) {
    if (managedOrAbsent(containerId, "remove").isEmpty()) {
      return;
    }
    try {
      call("remove", containerId,
          () -> client.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec());
    } catch (ContainerOperationException e) {
      if (!(e.getCause() instanceof NotFoundException)) {
        throw e;
      }
    }
  }

  @Override
  public Optional<ContainerInfo> inspect(String containerId) {
    return managedOrAbsent(containerId, "inspect").map(DockerMapping::info);
  }

  @Override
  public ExecResult exec(String containerId, List<String> command, Duration timeout) {
    requireManaged(containerId, "exec");
    String execId = call("exec", containerId, () -> client.execCreateCmd(containerId)
        .withCmd(command.toArray(new String[0])).withAttachStdout(true).withAttachStderr(true).exec().getId());
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Frame frame) {
        synchronized (output) {
          byte[] payload = frame.getPayload();
          int room = MAX_EXEC_OUTPUT_BYTES - output.size();
          if (payload != null && room > 0) {
            output.write(payload, 0, Math.min(room, payload.length));
          }
        }
      }
    };
    boolean finished;
    try {
      streamClient.execStartCmd(execId).exec(callback);
      finished = callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContainerOperationException("exec", containerId, "interrupted", e);
    } catch (RuntimeException e) {
      throw errors.translate("exec", containerId, e);
    } finally {
      DockerErrors.closeQuietly(callback);
    }
    String text;
    synchronized (output) {
      text = output.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
    if (!finished) {
      return new ExecResult(-1, text, true);
    }
    return new ExecResult(execExitCode(containerId, execId), text, false);
  }

  /** The exit code of a finished exec; the engine may need a moment after the stream ended to record it. */
  private int execExitCode(String containerId, String execId) {
    long deadline = System.nanoTime() + Math.min(apiTimeout.toNanos(), Duration.ofSeconds(5).toNanos());
    while (true) {
      InspectExecResponse inspect = call("exec", containerId, () -> client.inspectExecCmd(execId).exec());
      if (!Boolean.TRUE.equals(inspect.isRunning()) && inspect.getExitCodeLong() != null) {
        return inspect.getExitCodeLong().intValue();
      }
      if (System.nanoTime() > deadline) {
        return -1;
      }
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }

  @Override
  public void updateLimits(String containerId, long memoryLimitBytes, double cpus) {
    InspectContainerResponse current = requireManaged(containerId, "update");
    Long reservation = current.getHostConfig() == null ? null : current.getHostConfig().getMemoryReservation();
    call("update", containerId, () -> {
      var cmd = client.updateContainerCmd(containerId);
      if (memoryLimitBytes > 0) {
        cmd.withMemory(memoryLimitBytes).withMemorySwap(memoryLimitBytes);
        if (reservation != null && reservation > memoryLimitBytes) {
          cmd.withMemoryReservation(memoryLimitBytes);
        }
      }
      if (cpus > 0) {
        cmd.withNanoCPUs(Math.round(cpus * 1e9));
      }
      return cmd.exec();
    });
  }

  @Override
  public ContainerStats stats(String containerId) {
    requireManaged(containerId, "stats");
    AtomicReference<Statistics> sample = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    ResultCallback.Adapter<Statistics> callback = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Statistics statistics) {
        sample.compareAndSet(null, statistics);
      }

      /** Reported below like any failed call, not logged by docker-java as "Error during callback". */
      @Override
      public void onError(Throwable error) {
        failure.compareAndSet(null, error);
        onComplete();
      }
    };
    try {
      client.statsCmd(containerId).withNoStream(true).exec(callback);
      boolean done = callback.awaitCompletion(apiTimeout.toMillis(), TimeUnit.MILLISECONDS);
      Throwable failed = failure.get();
      if (sample.get() == null && failed instanceof RuntimeException e) {
        throw e; // translated below, as any failed call
      } else if (sample.get() == null && (failed != null || !done)) {
        throw new ContainerOperationException("stats", containerId,
            failed != null ? String.valueOf(failed) : "no sample within " + apiTimeout, failed);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContainerOperationException("stats", containerId, "interrupted", e);
    } catch (ContainerOperationException e) {
      throw e;
    } catch (RuntimeException e) {
      throw errors.translate("stats", containerId, e);
    } finally {
      DockerErrors.closeQuietly(callback);
    }
    Statistics s = sample.get();
    if (s == null) {
      throw new ContainerOperationException("stats", containerId, "the engine sent no sample", null);
    }
    return new ContainerStats(containerId, DockerMapping.cpuPercent(s), DockerMapping.memoryUsageBytes(s),
        DockerMapping.memoryLimitBytes(s), DockerMapping.cpuSecondsTotal(s));
  }

  @Override
  public AutoCloseable events(Consumer<ContainerEvent> onEvent, Consumer<Throwable> onError) {
    return DockerEventStream.open(streamClient, host, errors, onEvent, onError);
  }

  @Override
  public String describe() {
    return "docker " + host;
  }

  @Override
  public void close() {
    DockerErrors.closeQuietly(client);
    DockerErrors.closeQuietly(streamClient);
  }

  /** The inspected container when it is managed; NotManagedException otherwise; absent → error. */
  private InspectContainerResponse requireManaged(String containerId, String operation) {
    return managedOrAbsent(containerId, operation).orElseThrow(() ->
        new ContainerOperationException(operation, containerId, "no such container", null));
  }

  /** The inspected container when it is managed, empty when it does not exist, NotManagedException else. */
  private Optional<InspectContainerResponse> managedOrAbsent(String containerId, String operation) {
    Optional<InspectContainerResponse> found = inspectRaw(containerId);
    if (found.isPresent() && !DockerMapping.isManaged(DockerMapping.labels(found.get()))) {
      throw new NotManagedException(containerId);
    }
    return found;
  }

  private Optional<InspectContainerResponse> inspectRaw(String containerIdOrName) {
    try {
      return Optional.of(call("inspect", containerIdOrName, () -> client.inspectContainerCmd(containerIdOrName).exec()));
    } catch (ContainerOperationException e) {
      if (e.getCause() instanceof NotFoundException) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private <T> T call(String operation, String container, Supplier<T> body) {
    try {
      return body.get();
    } catch (RuntimeException e) {
      throw errors.translate(operation, container, e);
    }
  }

  private static String shortId(String id) {
    return id == null || id.length() < 12 ? String.valueOf(id) : id.substring(0, 12);
  }

}
