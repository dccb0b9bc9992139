package ai.sutazai.runtime;

import java.util.List;

/**
 * How a container is fenced from the host and from the supervisor: agents run model-driven code, so they
 * are created with no Linux capabilities unless they declare some, cannot gain privileges through setuid
 * binaries, and cannot fork without bound.
 *
 * @param capDrop capabilities dropped, by name without {@code CAP_} ({@code ALL} drops every one)
 * @param capAdd capabilities added back after the drop (e.g. {@code NET_BIND_SERVICE})
 * @param noNewPrivileges {@code --security-opt no-new-privileges}: setuid/setcap binaries gain nothing
 * @param pidsLimit most processes and threads in the container (count); 0 = the engine's default (none)
 * @param user user (and group) the command runs as, {@code uid[:gid]} or a name; "" = the image's user
 * @param readOnlyRootFilesystem the container's root filesystem is mounted read-only
 * @param writablePaths paths mounted as a private tmpfs, writable even with a read-only root filesystem
 */
public record ContainerSecurity(
    List<String> capDrop,
    List<String> capAdd,
    boolean noNewPrivileges,
    long pidsLimit,
    String user,
    boolean readOnlyRootFilesystem,
    List<String> writablePaths) {

  /** The product's default: every capability dropped, no new privileges, at most 512 processes. */
  public static final ContainerSecurity DEFAULT =
      new ContainerSecurity(List.of("ALL"), List.of(), true, 512, "", false, List.of());

  /** Docker's own defaults (nothing fenced): only for tests that show what the fences change. */
  public static final ContainerSecurity ENGINE_DEFAULT =
      new ContainerSecurity(List.of(), List.of(), false, 0, "", false, List.of());

  public ContainerSecurity {
    capDrop = capDrop == null ? List.of() : List.copyOf(capDrop);
    capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
    user = user == null ? "" : user;
    writablePaths = writablePaths == null ? List.of() : List.copyOf(writablePaths);
    if (pidsLimit < 0) {
      throw new IllegalArgumentException("pidsLimit must be 0 (engine default) or more, got " + pidsLimit);
    }
  }
}
