package ai.sutazai.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.testsupport.DockerTestSupport;
import com.github.dockerjava.api.command.InspectContainerResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The unrelated container left untouched: the runtime refuses every operation on unlabelled containers. */
class DockerRuntimeIsolationTest {
  @RegisterExtension static final DockerTestSupport docker = new DockerTestSupport();

  @Test
  void refusesToTouchAnUnrelatedContainerWhichKeepsRunning() {
    String other = docker.startUnrelated("sleep", "300");
    InspectContainerResponse before = docker.client().inspectContainerCmd(other).exec();
    ContainerRuntime runtime = docker.runtime();

    assertThrows(NotManagedException.class, () -> runtime.stop(other, Duration.ofSeconds(1)));
    assertThrows(NotManagedException.class, () -> runtime.remove(other));
    assertThrows(NotManagedException.class, () -> runtime.exec(other, List.of("true"), Duration.ofSeconds(5)));
    assertThrows(NotManagedException.class, () -> runtime.updateLimits(other, 32L * 1024 * 1024, 0.1));
    assertThrows(NotManagedException.class, () -> runtime.start(other));
    assertThrows(NotManagedException.class, () -> runtime.inspect(other));
    assertThrows(NotManagedException.class, () -> runtime.stats(other));

    InspectContainerResponse after = docker.client().inspectContainerCmd(other).exec();
    assertTrue(after.getState().getRunning());
    assertEquals(before.getState().getStartedAt(), after.getState().getStartedAt(), "never restarted");
    assertEquals(before.getHostConfig().getMemory(), after.getHostConfig().getMemory(), "limits unchanged");
    assertEquals(0, after.getExecIds() == null ? 0 : after.getExecIds().size(), "nothing was exec'd in it");
  }

  @Test
  void listingsNeverIncludeUnrelatedContainers() {
    String other = docker.startUnrelated("sleep", "300");
    String ours = docker.startManaged("web", "sleep", "300");

    assertEquals(List.of(ours), docker.runtime().listManaged(docker.fleet()).stream().map(ContainerInfo::id).toList());
    List<String> all = docker.runtime().listAllManaged().stream().map(ContainerInfo::id).toList();
    assertTrue(all.contains(ours));
    assertFalse(all.contains(other));
    assertTrue(docker.isRunning(other));
  }

  @Test
  void createNeverAdoptsAnUnrelatedContainerOfTheSameName() {
    String other = docker.createUnrelated("sleep", "300");
    String name = docker.client().inspectContainerCmd(other).exec().getName().substring(1);
    ContainerSpec spec = new ContainerSpec(name, docker.fleet(), "web", DockerTestSupport.IMAGE,
        List.of("sleep", "300"), Map.of(), 0, 0, 0, true, Map.of());

    assertThrows(NotManagedException.class, () -> docker.runtime().create(spec));
    InspectContainerResponse after = docker.client().inspectContainerCmd(other).exec();
    assertEquals("created", after.getState().getStatus());
    assertEquals(null, after.getConfig().getLabels().get(Labels.MANAGED));
  }

  @Test
  void eventsOfUnrelatedContainersAreNotDelivered() throws Exception {
    List<ContainerEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (AutoCloseable subscription = docker.runtime().events(events::add, e -> { })) {
      String other = docker.startUnrelated("sh", "-c", "exit 5");
      String ours = docker.startManaged("marker", "sh", "-c", "exit 6");
      // our own container's die arrives after the unrelated one's: once we see ours, theirs had its chance
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() ->
          events.stream().anyMatch(e -> e.containerId().equals(ours) && e.action().equals("die")));
      assertTrue(events.stream().noneMatch(e -> e.containerId().equals(other)), events.toString());
    }
  }
}
