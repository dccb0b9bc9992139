package ai.sutazai.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.testsupport.DockerTestSupport;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fences of {@link ContainerSecurity} on the real engine: what an agent inside its container can no longer
 * do. Each fence is checked against the same container without it, so the test shows the fence is what stops it.
 */
class ContainerSecurityDockerTest {
  @RegisterExtension static final DockerTestSupport docker = new DockerTestSupport();

  private static final Duration EXEC = Duration.ofSeconds(20);
  private static final List<String> PING = List.of("ping", "-c", "1", "-W", "2", "127.0.0.1");
  /** Starts 40 background sleeps: past a pids-limit of 16, the shell cannot fork. */
  private static final List<String> FORK_40 = List.of("sh", "-c",
      "i=0; while [ $i -lt 40 ]; do sleep 30 & i=$((i+1)); done; echo all-forked");

  private String start(String agent, ContainerSecurity security) {
    ContainerSpec spec = new ContainerSpec(docker.containerName(agent), docker.fleet(), agent, DockerTestSupport.IMAGE,
        List.of("sleep", "300"), Map.of(), DockerTestSupport.MEMORY_LIMIT_BYTES, 0, 0.5, false, Map.of(), security);
    String id = docker.runtime().create(spec);
    docker.runtime().start(id);
    return id;
  }

  @Test
  void theDefaultFencesStopRawSocketsAndSetTheirOptions() {
    String id = start("fenced", ContainerSecurity.DEFAULT);
    ExecResult ping = docker.runtime().exec(id, PING, EXEC);
    assertNotEquals(0, ping.exitCode(), ping.output());
    assertTrue(ping.output().contains("permission denied"), ping.output());

    InspectContainerResponse inspect = docker.client().inspectContainerCmd(id).exec();
    assertArrayEquals(new Capability[] {Capability.ALL}, inspect.getHostConfig().getCapDrop());
    assertEquals(List.of("no-new-privileges:true"), inspect.getHostConfig().getSecurityOpts());
    assertEquals(512L, inspect.getHostConfig().getPidsLimit());

    String open = start("open", ContainerSecurity.ENGINE_DEFAULT);
    ExecResult control = docker.runtime().exec(open, PING, EXEC);
    assertEquals(0, control.exitCode(), "without the fences root may ping: " + control.output());
  }

  @Test
  void aDeclaredCapabilityIsGivenBack() {
    ContainerSecurity d = ContainerSecurity.DEFAULT;
    String id = start("netraw", new ContainerSecurity(d.capDrop(), List.of("NET_RAW"), true, d.pidsLimit(), "", false,
        List.of()));
    ExecResult ping = docker.runtime().exec(id, PING, EXEC);
    assertEquals(0, ping.exitCode(), ping.output());
  }

  @Test
  void anAgentCannotForkPastItsLimit() {
    ContainerSecurity d = ContainerSecurity.DEFAULT;
    String id = start("pids", new ContainerSecurity(d.capDrop(), List.of(), true, 16, "", false, List.of()));
    ExecResult fork = docker.runtime().exec(id, FORK_40, EXEC);
    assertTrue(fork.output().contains("can't fork"), fork.output());
    assertTrue(!fork.output().contains("all-forked"), fork.output());

    String open = start("nopids", new ContainerSecurity(d.capDrop(), List.of(), true, 0, "", false, List.of()));
    ExecResult control = docker.runtime().exec(open, FORK_40, EXEC);
    assertTrue(control.output().contains("all-forked"), "without the limit it forks: " + control.output());
  }

  @Test
  void aReadOnlyRootLeavesItsWritablePaths() {
    String id = start("ro", new ContainerSecurity(List.of("ALL"), List.of(), true, 64, "", true, List.of("/tmp")));
    ExecResult root = docker.runtime().exec(id, List.of("sh", "-c", "touch /x"), EXEC);
    assertNotEquals(0, root.exitCode(), root.output());
    assertTrue(root.output().contains("Read-only file system"), root.output());
    ExecResult tmp = docker.runtime().exec(id, List.of("sh", "-c", "touch /tmp/x"), EXEC);
    assertEquals(0, tmp.exitCode(), tmp.output());
  }

  @Test
  void theAgentRunsAsTheGivenUser() {
    String id = start("user", new ContainerSecurity(List.of("ALL"), List.of(), true, 64, "1000:1000", false, List.of()));
    ExecResult user = docker.runtime().exec(id, List.of("id", "-u"), EXEC);
    assertEquals("1000", user.output().trim(), user.output());
  }
}
