package ai.sutazai.runtime;

import java.util.List;
import java.util.Map;

/**
 * What to create: the runtime adds the managed labels itself from {@code fleet} and {@code agent}.
 *
 * @param name container name (unique per engine), e.g. {@code sutazai-demo-web}
 * @param memoryLimitBytes hard memory limit in bytes
 * @param cpus CPU limit in cores (fractions allowed)
 * @param hostNetwork true for {@code --network host}, false for no network at all
 * @param extraLabels further labels (spec hash, node)
 * @param security capabilities, privileges, process limit, user and root filesystem ({@link ContainerSecurity})
 */
public record ContainerSpec(
    String name,
    String fleet,
    String agent,
    String image,
    List<String> command,
    Map<String, String> env,
    long memoryLimitBytes,
    long memoryReservationBytes,
    double cpus,
    boolean hostNetwork,
    Map<String, String> extraLabels,
    ContainerSecurity security) {

  /** A container fenced with {@link ContainerSecurity#DEFAULT}. */
  public ContainerSpec(String name, String fleet, String agent, String image, List<String> command,
      Map<String, String> env, long memoryLimitBytes, long memoryReservationBytes, double cpus, boolean hostNetwork,
      Map<String, String> extraLabels) {
    this(name, fleet, agent, image, command, env, memoryLimitBytes, memoryReservationBytes, cpus, hostNetwork,
        extraLabels, ContainerSecurity.DEFAULT);
  }

  public ContainerSpec {
    security = security == null ? ContainerSecurity.DEFAULT : security;
    command = command == null ? List.of() : List.copyOf(command);
    env = env == null ? Map.of() : Map.copyOf(env);
    extraLabels = extraLabels == null ? Map.of() : Map.copyOf(extraLabels);
  }
}
