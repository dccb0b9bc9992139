package ai.sutazai.fleet;

import ai.sutazai.common.CborSerializable;
import java.util.List;
import java.util.Set;

/**
 * How an agent's container is fenced, resolved from {@code sutazai.supervisor.container-security} and the
 * agent's own {@code security { }} block. Agents run model-driven code: by default they get no Linux
 * capability, cannot gain privileges, and cannot fork past a limit.
 *
 * @param capDrop capabilities dropped ({@code ALL} by default), names without {@code CAP_}
 * @param capAdd capabilities the agent declares it needs, added back after the drop
 * @param noNewPrivileges setuid/setcap binaries gain nothing
 * @param pidsLimit most processes and threads (count); 0 = no limit
 * @param user {@code uid[:gid]} or a name to run as; "" = the image's user
 * @param readOnlyRootFilesystem mount the root filesystem read-only
 * @param writablePaths paths mounted as a private tmpfs (writable even when the root filesystem is read-only)
 */
public record SecuritySpec(
    List<String> capDrop,
    List<String> capAdd,
    boolean noNewPrivileges,
    int pidsLimit,
    String user,
    boolean readOnlyRootFilesystem,
    List<String> writablePaths)
    implements CborSerializable {

  /** The defaults of sutazai-reference.conf; also what a spec journaled before these settings existed gets. */
  public static final SecuritySpec DEFAULT = new SecuritySpec(List.of("ALL"), List.of(), true, 512, "", false, List.of());

  /** Linux capability names (without CAP_) the engine knows, plus ALL. */
  public static final Set<String> CAPABILITIES = Set.of("ALL", "AUDIT_CONTROL", "AUDIT_READ", "AUDIT_WRITE",
      "BLOCK_SUSPEND", "BPF", "CHECKPOINT_RESTORE", "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID",
      "IPC_LOCK", "IPC_OWNER", "KILL", "LEASE", "LINUX_IMMUTABLE", "MAC_ADMIN", "MAC_OVERRIDE", "MKNOD", "NET_ADMIN",
      "NET_BIND_SERVICE", "NET_BROADCAST", "NET_RAW", "PERFMON", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_ADMIN",
      "SYS_BOOT", "SYS_CHROOT", "SYSLOG", "SYS_MODULE", "SYS_NICE", "SYS_PACCT", "SYS_PTRACE", "SYS_RAWIO",
      "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "WAKE_ALARM");

  public SecuritySpec {
    capDrop = capDrop == null ? List.of() : List.copyOf(capDrop);
    capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
    user = user == null ? "" : user;
    writablePaths = writablePaths == null ? List.of() : List.copyOf(writablePaths);
  }

  /** What goes into the spec hash: a changed fence recreates the container. */
  public String canonical() {
    return capDrop + "|" + capAdd + "|" + noNewPrivileges + "|" + pidsLimit + "|" + user + "|" + readOnlyRootFilesystem
        + "|" + writablePaths;
  }
}
