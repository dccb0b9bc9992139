package ai.sutazai.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The runtime of a router-only deployment: a fleet without agents has no container to run, so {@code run}
 * needs no container engine and opens none. It lists nothing and is always "up"; anything that would act on a
 * container throws {@link UnsupportedOperationException}, which a fleet without agents never asks for.
 */
public final class NoEngineRuntime implements ContainerRuntime {
  private final String why;

  /** {@code why} is shown by {@link #describe()}, e.g. "the fleet has no agents". */
  public NoEngineRuntime(String why) {
    this.why = why;
  }

  @Override
  public void ping() {
    // nothing to reach
  }

  @Override
  public List<ContainerInfo> listManaged(String fleet) {
    return List.of();
  }

  @Override
  public List<ContainerInfo> listAllManaged() {
    return List.of();
  }

  @Override
  public String create(ContainerSpec spec) {
    throw refused(spec.name());
  }

  @Override
  public void start(String containerId) {
    throw refused(containerId);
  }

  @Override
  public void stop(String containerId, Duration timeout) {
    throw refused(containerId);
  }

  @Override
  public void remove(String containerId) {
    // a missing container is a no-op
  }

  @Override
  public Optional<ContainerInfo> inspect(String containerId) {
    return Optional.empty();
  }

  @Override
  public ExecResult exec(String containerId, List<String> command, Duration timeout) {
    throw refused(containerId);
  }

  @Override
  public void updateLimits(String containerId, long memoryLimitBytes, double cpus) {
    throw refused(containerId);
  }

  @Override
  public ContainerStats stats(String containerId) {
    throw refused(containerId);
  }

  @Override
  public AutoCloseable events(Consumer<ContainerEvent> onEvent, Consumer<Throwable> onError) {
    return () -> { };
  }

  @Override
  public String describe() {
    return "no container engine (" + why + ")";
  }

  @Override
  public void close() {
    // nothing opened
  }

  private UnsupportedOperationException refused(String container) {
    return new UnsupportedOperationException(container + ": no container engine is used (" + why + ")");
  }
}
