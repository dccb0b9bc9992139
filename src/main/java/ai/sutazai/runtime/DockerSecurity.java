package ai.sutazai.runtime;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Translates {@link ContainerSecurity} to the engine's host configuration (kept apart from limits and networks). */
final class DockerSecurity {
  /** Options of the tmpfs mounted at each writable path: no devices, no setuid, bounded size, writable by any user (as /tmp). */
  static final String TMPFS_OPTIONS = "rw,nosuid,nodev,size=64m,mode=1777";

  private DockerSecurity() {}

  static void apply(ContainerSecurity security, HostConfig host) {
    if (!security.capDrop().isEmpty()) {
      host.withCapDrop(capabilities(security.capDrop()));
    }
    if (!security.capAdd().isEmpty()) {
      host.withCapAdd(capabilities(security.capAdd()));
    }
    if (security.noNewPrivileges()) {
      host.withSecurityOpts(List.of("no-new-privileges:true"));
    }
    if (security.pidsLimit() > 0) {
      host.withPidsLimit(security.pidsLimit());
    }
    if (security.readOnlyRootFilesystem()) {
      host.withReadonlyRootfs(true);
    }
    if (!security.writablePaths().isEmpty()) {
      Map<String, String> tmpfs = new LinkedHashMap<>();
      security.writablePaths().forEach(p -> tmpfs.put(p, TMPFS_OPTIONS));
      host.withTmpFs(tmpfs);
    }
  }

  /** Names such as {@code NET_RAW} or {@code CAP_NET_RAW}, any case; an unknown one is a clear error. */
  static Capability[] capabilities(List<String> names) {
    Capability[] caps = new Capability[names.size()];
    for (int i = 0; i < caps.length; i++) {
      String name = names.get(i).toUpperCase(Locale.ROOT);
      name = name.startsWith("CAP_") ? name.substring(4) : name;
      try {
        caps[i] = Capability.valueOf(name);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown Linux capability '" + names.get(i) + "'", e);
      }
    }
    return caps;
  }
}
