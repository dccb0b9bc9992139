package ai.sutazai.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the supervisor needs from a container engine. Every method blocks: call it on
 * {@code sutazai-blocking-dispatcher}, never on an actor's own thread.
 *
 * <p>Hazard: this interface is the only door to the engine, and the engine also runs containers that are
 * not ours. Every implementation must refuse to list, stop, remove, exec into or change a container that
 * does not carry the label {@link Labels#MANAGED}{@code =true} (it throws {@link NotManagedException}).
 */
public interface ContainerRuntime extends AutoCloseable {

  /** Checks that the engine answers; throws {@link RuntimeUnavailableException} when it does not. */
  void ping();

  /** The containers labelled as managed by this system for {@code fleet}, running or not. */
  List<ContainerInfo> listManaged(String fleet);

  /** Every container labelled as managed by this system, of any fleet. */
  List<ContainerInfo> listAllManaged();

  /**
   * Creates (does not start) a container named {@code spec.name()} with the managed labels and the
   * spec's limits. When a managed container of that name already exists, returns its id instead:
   * creation is idempotent, which is what keeps recovery free of duplicates.
   */
  String create(ContainerSpec spec);

  /** Starts a created or stopped managed container; starting a running one is a no-op. */
  void start(String containerId);

  /** Stops a managed container, killing it after {@code timeout}; stopping a stopped one is a no-op. */
  void stop(String containerId, Duration timeout);

  /** Removes a managed container, forcing it if it runs; a missing container is a no-op. */
  void remove(String containerId);

  /** The current view of a managed container (by id or name), or empty when it no longer exists. */
  Optional<ContainerInfo> inspect(String containerId);

  /** Runs a command inside a running managed container and waits for it at most {@code timeout}. */
  ExecResult exec(String containerId, List<String> command, Duration timeout);

  /** Changes the memory limit (bytes) and CPU limit (cores) of a managed container in place. */
  void updateLimits(String containerId, long memoryLimitBytes, double cpus);

  /** One sample of a managed container's resource usage. */
  ContainerStats stats(String containerId);

  /**
   * Subscribes to container events of managed containers (die, start, stop, health, oom...). Events are
   * delivered on the engine client's own thread. {@code onError} is called once when the stream breaks
   * (for example the engine went away); the caller reconnects.
   */
  AutoCloseable events(Consumer<ContainerEvent> onEvent, Consumer<Throwable> onError);

  /** A short name for logs and the dashboard, e.g. "docker unix:///run/docker.sock". */
  String describe();

  @Override
  void close();
}
