package ai.sutazai.supervisor.container;

import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.SecuritySpec;
import ai.sutazai.runtime.ContainerSecurity;
import ai.sutazai.runtime.ContainerSpec;
import ai.sutazai.runtime.Labels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** Maps an agent spec to the container that runs it: name, labels, limits, spec hash. */
public final class ContainerSpecs {
  private ContainerSpecs() {}

  /** Container name of an agent: stable, so creation is idempotent and recovery adopts instead of duplicating. */
  public static String containerName(String fleet, String agent) {
    return "sutazai-" + fleet + "-" + agent;
  }

  public static ContainerSpec of(String fleet, AgentSpec spec) {
    return new ContainerSpec(
        containerName(fleet, spec.name()),
        fleet,
        spec.name(),
        spec.image(),
        spec.command(),
        spec.env(),
        spec.memoryLimitBytes(),
        spec.memoryBytes(),
        spec.cpus(),
        true,
        Map.of(Labels.SPEC_HASH, specHash(spec)),
        security(spec.security()));
  }

  /** The fleet's view of an agent's fences as the runtime's. */
  public static ContainerSecurity security(SecuritySpec s) {
    return new ContainerSecurity(s.capDrop(), s.capAdd(), s.noNewPrivileges(), s.pidsLimit(), s.user(),
        s.readOnlyRootFilesystem(), s.writablePaths());
  }

  /** Hash of what the container is created from; a changed hash means the container must be recreated. */
  public static String specHash(AgentSpec spec) {
    String canonical = spec.image() + "\n" + spec.command() + "\n" + new TreeMap<>(spec.env()) + "\n"
        + spec.memoryLimitBytes() + "\n" + spec.memoryBytes() + "\n" + spec.cpus() + "\n" + spec.security().canonical();
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
