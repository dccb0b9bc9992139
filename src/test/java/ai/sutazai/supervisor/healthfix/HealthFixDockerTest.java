package ai.sutazai.supervisor.healthfix;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.Main;
import ai.sutazai.common.Settings;
import ai.sutazai.metrics.stats.CollectorSeries;
import ai.sutazai.metrics.baseline.Baseline;
import ai.sutazai.metrics.baseline.BaselineStore;
import ai.sutazai.metrics.baseline.MetricBaseline;
import ai.sutazai.metrics.stats.Summary;
import ai.sutazai.runtime.ContainerSpec;
import ai.sutazai.runtime.Labels;
import ai.sutazai.supervisor.healthfix.Fix.Kind;
import ai.sutazai.testsupport.DockerTestSupport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** health-fix, plan and apply, against the real engine, with unrelated unlabelled resources beside ours. */
class HealthFixDockerTest {
  @RegisterExtension static final DockerTestSupport docker = new DockerTestSupport();

  private static final Duration WAIT = Duration.ofSeconds(20);

  private static HealthFix healthFix() {
    return HealthFix.fromConfig(Settings.load(null, Settings.of(Map.of(
        "sutazai.docker.host", docker.host(), "sutazai.supervisor.stop-timeout", "1s"))));
  }

  private static InspectContainerResponse raw(String id) {
    return docker.client().inspectContainerCmd(id).exec();
  }

  private static void awaitExited(String id) {
    await().atMost(WAIT).until(() -> "exited".equals(raw(id).getState().getStatus()));
  }

  @Test
  void planThenApplyRestartsOursAndLeavesTheUnrelatedExitedContainerAlone(@TempDir Path dir) throws Exception {
    String ours = docker.startManaged("exiter", "sh", "-c", "exit 3");
    String other = docker.startUnrelated("sh", "-c", "exit 1");
    awaitExited(ours);
    awaitExited(other);
    InspectContainerResponse otherBefore = raw(other);
    String oursStartedBefore = raw(ours).getState().getStartedAt();

    // the plain CLI, plan only: prints the plan and changes nothing
    Path conf = dir.resolve("test.conf");
    Files.writeString(conf, "sutazai.docker.host = \"" + docker.host() + "\"\nsutazai.supervisor.stop-timeout = 1s\n");
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    int exit = cli.execute("health-fix", "--no-daemon", "--fleet-name", docker.fleet(), "--format", "json", "--config",
        conf.toString());
    assertEquals(0, exit, out.toString());
    assertTrue(out.toString().contains("\"target\" : \"" + ours + "\""), out.toString());
    assertTrue(out.toString().contains("\"RESTART\""), out.toString());
    assertFalse(out.toString().contains("\"applied\""), out.toString());
    assertEquals(oursStartedBefore, raw(ours).getState().getStartedAt(), "plan only: not restarted");

    try (HealthFix fix = healthFix()) {
      assertTrue(fix.plan(null, true).stream().noneMatch(f -> f.target().equals(other)),
          "the unrelated container is in no plan, not even across all fleets with --prune");
      List<Fix> plan = fix.plan(docker.fleet(), false);
      assertEquals(List.of(Kind.RESTART), plan.stream().map(Fix::kind).toList());
      assertEquals(ours, plan.get(0).target());

      List<AppliedFix> applied = fix.apply(plan);
      assertTrue(applied.get(0).ok(), applied.toString());
      assertEquals(ours, applied.get(0).containerIdAfter());
    }
    assertNotEquals(oursStartedBefore, raw(ours).getState().getStartedAt(), "ours was started again");
    InspectContainerResponse otherAfter = raw(other);
    assertEquals("exited", otherAfter.getState().getStatus());
    assertEquals(otherBefore.getState().getStartedAt(), otherAfter.getState().getStartedAt());
    assertEquals(otherBefore.getState().getFinishedAt(), otherAfter.getState().getFinishedAt());
  }

  @Test
  void pruneRemovesOnlyLabelledStoppedContainersAndVolumes() {
    String ours = docker.startManaged("stopped", "sh", "-c", "exit 0");
    String other = docker.startUnrelated("sh", "-c", "exit 0");
    String ourVolume = "t-vol-" + UUID.randomUUID().toString().substring(0, 8);
    String otherVolume = "t-unrelated-vol-" + UUID.randomUUID().toString().substring(0, 8);
    docker.client().createVolumeCmd().withName(ourVolume)
        .withLabels(Map.of(Labels.MANAGED, "true", Labels.FLEET, docker.fleet())).exec();
    docker.client().createVolumeCmd().withName(otherVolume).withLabels(Map.of("owner", "someone-else")).exec();
    try {
      awaitExited(ours);
      awaitExited(other);
      try (HealthFix fix = healthFix()) {
        List<Fix> everywhere = fix.plan(null, true);
        assertTrue(everywhere.stream().noneMatch(f -> f.target().equals(other) || f.target().equals(otherVolume)),
            everywhere.toString());

        List<Fix> plan = fix.plan(docker.fleet(), true);
        assertEquals(List.of(Kind.REMOVE_CONTAINER, Kind.REMOVE_VOLUME), plan.stream().map(Fix::kind).toList());
        assertEquals(List.of(ours, ourVolume), plan.stream().map(Fix::target).toList());
        assertTrue(fix.apply(plan).stream().allMatch(AppliedFix::ok));
      }
      assertFalse(docker.exists(ours));
      assertFalse(volumeExists(ourVolume));
      assertTrue(docker.exists(other));
      assertTrue(volumeExists(otherVolume));
    } finally {
      removeVolumeQuietly(ourVolume);
      removeVolumeQuietly(otherVolume);
    }
  }

  @Test
  void unhealthyContainerIsRecreatedWithALongerTimeoutKeepingItsFences() {
    String name = docker.containerName("unh");
    String old = docker.client().createContainerCmd(DockerTestSupport.IMAGE)
        .withName(name)
        .withCmd("sleep", "300")
        .withLabels(Map.of(Labels.MANAGED, "true", Labels.FLEET, docker.fleet(), Labels.AGENT, "unh"))
        .withHealthcheck(new HealthCheck().withTest(List.of("CMD-SHELL", "sleep 2")).withInterval(1_000_000_000L)
            .withTimeout(1_000_000_000L).withRetries(1))
        .withUser("1000:1000")
        .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none").withMemory(DockerTestSupport.MEMORY_LIMIT_BYTES)
            .withCapDrop(Capability.ALL).withCapAdd(Capability.NET_BIND_SERVICE)
            .withSecurityOpts(List.of("no-new-privileges:true")).withPidsLimit(77L).withReadonlyRootfs(true)
            .withTmpFs(Map.of("/tmp", "rw,nosuid,nodev,size=64m")))
        .exec().getId();
    docker.client().startContainerCmd(old).exec();
    await().atMost(WAIT).until(() -> "unhealthy".equals(raw(old).getState().getHealth().getStatus()));
    HostConfig fences = raw(old).getHostConfig();

    try (HealthFix fix = healthFix()) {
      List<Fix> plan = fix.plan(docker.fleet(), false);
      assertEquals(List.of(Kind.RECREATE_WITH_HEALTHCHECK), plan.stream().map(Fix::kind).toList());
      assertEquals(2_000, plan.get(0).newTimeoutMillis(), plan.get(0).reason());

      AppliedFix applied = fix.apply(plan).get(0);
      assertTrue(applied.ok(), applied.toString());
      InspectContainerResponse replaced = raw(name);
      assertEquals(applied.containerIdAfter(), replaced.getId());
      assertNotEquals(old, replaced.getId());
      assertFalse(docker.exists(old), "the old container is removed");
      assertTrue(replaced.getState().getRunning());
      assertEquals(2_000_000_000L, replaced.getConfig().getHealthcheck().getTimeout());
      assertEquals(List.of("CMD-SHELL", "sleep 2"), replaced.getConfig().getHealthcheck().getTest());
      assertEquals("true", replaced.getConfig().getLabels().get(Labels.MANAGED));
      assertEquals(docker.fleet(), replaced.getConfig().getLabels().get(Labels.FLEET));
      assertEquals(DockerTestSupport.MEMORY_LIMIT_BYTES, replaced.getHostConfig().getMemory());
      assertEquals("none", replaced.getHostConfig().getNetworkMode());
      HostConfig kept = replaced.getHostConfig();
      assertArrayEquals(fences.getCapDrop(), kept.getCapDrop());
      assertArrayEquals(fences.getCapAdd(), kept.getCapAdd());
      assertEquals(fences.getSecurityOpts(), kept.getSecurityOpts());
      assertEquals(77L, kept.getPidsLimit());
      assertEquals(Boolean.TRUE, kept.getReadonlyRootfs());
      assertEquals(fences.getTmpFs(), kept.getTmpFs());
      assertEquals("1000:1000", replaced.getConfig().getUser());
    }
  }

  @Test
  void oomKilledContainerGetsAHigherMemoryLimit() {
    long limit = 8L * 1024 * 1024;
    String id = docker.runtime().create(new ContainerSpec(docker.containerName("oom"), docker.fleet(), "oom",
        DockerTestSupport.IMAGE, List.of("sh", "-c", "x=a; while true; do x=\"$x$x\"; done"), Map.of(), limit, 0, 0,
        false, Map.of()));
    docker.runtime().start(id);
    awaitExited(id);
    assertTrue(raw(id).getState().getOOMKilled(), "the kernel OOM-killed it");

    try (HealthFix fix = healthFix()) {
      List<Fix> plan = fix.plan(docker.fleet(), false);
      assertEquals(List.of(Kind.RAISE_MEMORY), plan.stream().map(Fix::kind).toList());
      assertEquals(12L * 1024 * 1024, plan.get(0).newMemoryLimitBytes());
      assertTrue(fix.apply(plan).get(0).ok());
    }
    assertEquals(12L * 1024 * 1024, raw(id).getHostConfig().getMemory());
  }

  @Test
  void appliedFixTakesItsLimitFromTheBaselineAndIsJournalledAcrossARestart(@TempDir Path dir) throws Exception {
    long mib = 1024L * 1024;
    String id = docker.runtime().create(new ContainerSpec(docker.containerName("oomb"), docker.fleet(), "oomb",
        DockerTestSupport.IMAGE, List.of("sh", "-c", "x=a; while true; do x=\"$x$x\"; done"), Map.of(), 8 * mib, 0, 0,
        false, Map.of()));
    docker.runtime().start(id);
    awaitExited(id);
    // the latest baseline saw this agent's container use p95 10 MiB, peak 14.5 MiB: max(10 x 1.5, 14.5) = 15 MiB
    String series = CollectorSeries.forAgent(CollectorSeries.CONTAINER_MEMORY_USAGE_BYTES, "oomb");
    BaselineStore.open("jdbc:h2:file:" + dir.resolve("baselines"), "sa", "", "").save(new Baseline(0, java.time.Instant.now(),
        Duration.ofMinutes(1), Duration.ofSeconds(5), "t", 12, List.of(new MetricBaseline(series,
            new Summary(12, 5 * mib, 14.5 * mib, 8 * mib, mib, 8 * mib, 9 * mib, 10 * mib, 14 * mib, 8 * mib), 0, 0, false))));
    Path conf = dir.resolve("test.conf");
    Files.writeString(conf, "sutazai.docker.host = \"" + docker.host() + "\"\nsutazai.supervisor.stop-timeout = 1s\n");
    String[] common = {"--no-daemon", "--fleet-name", docker.fleet(), "--config", conf.toString(), "--data-dir", dir.toString(),
        "--format", "json"};

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    assertEquals(0, cli.execute(concat(new String[] {"health-fix", "--apply"}, common)), out + "\n" + err);
    assertEquals(15 * mib, raw(id).getHostConfig().getMemory(), out.toString());
    assertTrue(err.toString().contains("journalled 1 fix(es)"), err.toString());

    // a new command, a new actor system: the fix is read back from the journal file
    StringWriter history = new StringWriter();
    CommandLine again = Main.commandLine();
    again.setOut(new PrintWriter(history));
    assertEquals(0, again.execute(concat(new String[] {"health-fix", "--history"}, common)), history.toString());
    JsonNode h = new ObjectMapper().readTree(history.toString()).get("history");
    assertEquals(1, h.size(), history.toString());
    assertEquals(id, h.get(0).get("target").asText());
    assertEquals(docker.fleet(), h.get(0).get("fleet").asText());
    assertEquals("RAISE_MEMORY", h.get(0).get("kind").asText());
    assertEquals(15 * mib, h.get(0).get("newMemoryLimitBytes").asLong());
    assertTrue(h.get(0).get("ok").asBoolean());
    assertTrue(h.get(0).get("reason").asText().contains("baseline 1: p95 10 MiB + 50 % headroom, peak 15 MiB"),
        h.get(0).get("reason").asText());
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static boolean volumeExists(String name) {
    try {
      docker.client().inspectVolumeCmd(name).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  private static void removeVolumeQuietly(String name) {
    try {
      docker.client().removeVolumeCmd(name).exec();
    } catch (NotFoundException ignored) {
      // removed by the test itself
    }
  }
}
