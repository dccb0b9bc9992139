package ai.sutazai.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.common.Settings;
import ai.sutazai.testsupport.DockerTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code sutazai.docker.cgroup-parent}: the containers the runtime creates run under that parent cgroup (the
 * seed bench's host model relies on it); empty keeps the engine's default. Real engine (cgroup v1, cgroupfs).
 */
class DockerCgroupParentTest {
  @RegisterExtension static final DockerTestSupport docker = new DockerTestSupport();

  @Test
  void containersAreCreatedUnderTheConfiguredParentCgroup() throws Exception {
    String parent = "sutazai-cgtest-" + UUID.randomUUID().toString().substring(0, 8);
    DockerRuntime runtime = DockerRuntime.fromConfig(Settings.load(null, Settings.of(Map.of(
        "sutazai.docker.host", docker.host(), "sutazai.docker.api-timeout", "30s",
        DockerRuntime.CGROUP_PARENT_KEY, "/" + parent))));
    try {
      String id = runtime.create(docker.spec("grouped", "sleep", "300"));
      assertEquals("/" + parent, docker.client().inspectContainerCmd(id).exec().getHostConfig().getCgroupParent());
      runtime.start(id);
      assertTrue(Files.isDirectory(Path.of("/sys/fs/cgroup/memory", parent, id)),
          "the container's memory cgroup is not under /" + parent);
      runtime.remove(id);

      String plain = docker.runtime().create(docker.spec("default", "sleep", "300"));
      String defaultParent = docker.client().inspectContainerCmd(plain).exec().getHostConfig().getCgroupParent();
      assertTrue(defaultParent == null || defaultParent.isEmpty(), "default parent: " + defaultParent);
    } finally {
      for (var c : docker.client().listContainersCmd().withShowAll(true)
          .withLabelFilter(Map.of(Labels.FLEET, docker.fleet())).exec()) {
        docker.client().removeContainerCmd(c.getId()).withForce(true).exec();
      }
      runtime.close();
      try (var controllers = Files.list(Path.of("/sys/fs/cgroup"))) {
        for (Path c : controllers.toList()) {
          Path g = c.resolve(parent);
          // The kernel frees the group once the container's tasks have exited: until then rmdir says busy.
          org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
              .pollInterval(java.time.Duration.ofMillis(100)).ignoreExceptions()
              .until(() -> !Files.isDirectory(g) || Files.deleteIfExists(g));
        }
      }
    }
  }
}
