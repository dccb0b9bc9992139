package ai.sutazai.cli;

import ai.sutazai.supervisor.SupervisorHarness;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.Main;
import ai.sutazai.runtime.ContainerInfo;
import ai.sutazai.testsupport.DockerTestSupport;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * `sutazai run` from the command line: bad fleets, --dry-run (the plan, the right-sizing it would make, and
 * without an engine), --mode once that times out, and a graceful SIGTERM.
 */
class RunCommandTest {
  @RegisterExtension static final DockerTestSupport docker = new DockerTestSupport();

  private Path fleetFile(Path dir, String agents) throws Exception {
    Path f = dir.resolve("fleet.conf");
    Files.writeString(f, "sutazai.fleet {\n  name = \"" + docker.fleet() + "\"\n  agents {\n" + agents + "  }\n}\n");
    return f;
  }

  private Path confFile(Path dir) throws Exception {
    Path c = dir.resolve("test.conf");
    Files.writeString(c, "sutazai.data-dir = \"" + dir.resolve("data") + "\"\nsutazai.docker.host = \"" + docker.host() + "\"\n");
    return c;
  }

  @Test
  void aBadFleetExitsWithStatus2NamingFileAgentAndKeyAndTouchesNothing() throws Exception {
    Path dir = Files.createTempDirectory("run-bad");
    Path fleet = fleetFile(dir, "    web { image = \"x\", memory = -5MiB, cpus = 0.5, depends-on = [\"nope\"], helth { kind = none } }\n");
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("run", "--config", confFile(dir).toString(), "--fleet", fleet.toString());
    assertEquals(2, code, err.toString());
    String msg = err.toString();
    assertTrue(msg.contains(fleet.toString()) && msg.contains("'web'"), msg);
    assertTrue(msg.contains("memory") && msg.contains("nope") && msg.contains("health"), msg);
    assertFalse(msg.contains("\tat "), "no stack trace: " + msg);
    assertTrue(docker.runtime().listManaged(docker.fleet()).isEmpty());
    assertFalse(Files.exists(dir.resolve("data")), "nothing may be written for an invalid fleet");
  }

  @Test
  void dryRunPrintsThePlanAndChangesNothing() throws Exception {
    Path dir = Files.createTempDirectory("run-dry");
    int port = DockerTestSupport.freePort();
    Path fleet = fleetFile(dir, SupervisorHarness.httpAgent("web", port, ""));
    String orphan = docker.startManaged("gone", "sleep", "300");
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    java.io.ByteArrayOutputStream sysout = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.out;
    System.setOut(new java.io.PrintStream(sysout, true));
    int code;
    try {
      code = cli.execute("run", "--dry-run", "--config", confFile(dir).toString(), "--fleet", fleet.toString());
    } finally {
      System.setOut(old);
    }
    String plan = sysout.toString();
    assertEquals(0, code, plan);
    assertTrue(plan.contains("create   web"), plan);
    assertTrue(plan.contains("remove   " + docker.containerName("gone")), plan);
    List<ContainerInfo> after = docker.runtime().listManaged(docker.fleet());
    assertEquals(1, after.size());
    assertEquals(orphan, after.get(0).id());
    assertFalse(Files.exists(dir.resolve("data")), "a dry run writes no journal");
  }

  @Test
  void dryRunShowsTheRightSizingOfARunningContainerWithoutMakingIt() throws Exception {
    Path dir = Files.createTempDirectory("run-dry-resize");
    Path fleet = fleetFile(dir, SupervisorHarness.httpAgent("web", DockerTestSupport.freePort(), ""));
    // Running with 64 MiB and 0.5 CPU while it uses well under 1 MiB: the rule would shrink both to their floors.
    String web = docker.startManaged("web", "sleep", "300");
    java.io.ByteArrayOutputStream sysout = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.out;
    System.setOut(new java.io.PrintStream(sysout, true));
    int code;
    try {
      code = Main.commandLine().execute("run", "--dry-run", "--config", confFile(dir).toString(), "--fleet", fleet.toString());
    } finally {
      System.setOut(old);
    }
    String plan = sysout.toString();
    assertEquals(0, code, plan);
    assertTrue(plan.lines().map(String::trim).anyMatch(l -> l.startsWith("resize   web") && l.contains("64 MiB") && l.contains("16 MiB")
        && l.endsWith("-> would run docker update")), plan);
    assertTrue(plan.contains("note     no baseline recorded yet (`sutazai baseline` records one): live samples only"), plan);
    var host = docker.client().inspectContainerCmd(web).exec().getHostConfig();
    assertEquals(64L << 20, host.getMemory(), "the memory limit is left as it was");
    assertEquals(500_000_000L, host.getNanoCPUs(), "the CPU limit is left as it was");
    assertFalse(Files.exists(dir.resolve("data").resolve("journal")), "a dry run journals nothing");
  }

  @Test
  void onceExitsWith1AndSaysSoWhenTheFleetDoesNotSettleInTime() throws Exception {
    Path dir = Files.createTempDirectory("run-once");
    int webPort = DockerTestSupport.freePort();
    int closed = DockerTestSupport.freePort();
    // "slow" never answers its probe, but is inside its start-period throughout: it stays starting.
    String slow = "    slow {\n      image = \"" + DockerTestSupport.IMAGE + "\"\n      command = [\"sleep\", \"300\"]\n"
        + "      memory = 16MiB\n      cpus = 0.1\n"
        + "      health { kind = http, port = " + closed + ", interval = 300ms, timeout = 500ms, retries = 1, start-period = 1h }\n    }\n";
    Path fleet = fleetFile(dir, SupervisorHarness.httpAgent("web", webPort, "") + slow);
    Path conf = confFile(dir);
    Files.writeString(conf, Files.readString(conf) + "sutazai.supervisor.settle-timeout = 8s\nakka.remote.artery.canonical.port = 0\n");
    java.io.ByteArrayOutputStream sysout = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.out;
    System.setOut(new java.io.PrintStream(sysout, true));
    int code;
    try {
      code = Main.commandLine().execute("run", "--mode", "once", "--config", conf.toString(), "--fleet", fleet.toString());
    } finally {
      System.setOut(old);
    }
    String summary = sysout.toString();
    assertEquals(1, code, summary);
    assertTrue(summary.contains("1 of 2 wanted agents healthy (not settled: timed out)"), summary);
    assertTrue(summary.lines().anyMatch(l -> l.startsWith("web ") && l.contains("HEALTHY")), summary);
    assertTrue(summary.lines().anyMatch(l -> l.startsWith("slow ") && l.contains("STARTING")), summary);
    List<ContainerInfo> left = docker.runtime().listManaged(docker.fleet());
    assertEquals(2, left.size(), "once leaves the containers running");
    assertTrue(left.stream().allMatch(ContainerInfo::running));
  }

  @Test
  void dryRunWithoutAnEngineSaysWhichOneAndHowToGetOne() throws Exception {
    Path dir = Files.createTempDirectory("run-dry-noengine");
    String host = "unix://" + dir.resolve("no-docker.sock");
    Path conf = dir.resolve("test.conf");
    Files.writeString(conf, "sutazai.data-dir = \"" + dir.resolve("data") + "\"\nsutazai.docker.host = \"" + host + "\"\n");
    Path fleet = fleetFile(dir, SupervisorHarness.httpAgent("web", DockerTestSupport.freePort(), ""));
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("run", "--dry-run", "--config", conf.toString(), "--fleet", fleet.toString());
    String msg = err.toString();
    assertEquals(2, code, msg);
    assertTrue(msg.startsWith("error: ") && msg.contains("Docker engine not reachable at " + host), msg);
    assertTrue(msg.contains("DOCKER_HOST") && msg.contains("cluster/dev/docker-engine.sh"), "says how to get one: " + msg);
    assertFalse(msg.contains("\tat "), "no stack trace: " + msg);
    assertFalse(Files.exists(dir.resolve("data")), "a dry run writes nothing");
  }

  @Test
  void sigtermStopsTheSupervisorGracefullyAndLeavesContainersRunning() throws Exception {
    Path dir = Files.createTempDirectory("run-term");
    int port = DockerTestSupport.freePort();
    Path fleet = fleetFile(dir, SupervisorHarness.httpAgent("web", port, ""));
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), "ai.sutazai.Main",
        "run", "--config", confFile(dir).toString(), "--fleet", fleet.toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(new File(System.getProperty("user.dir")))
        .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile());
    pb.environment().put("DOCKER_HOST", docker.host());
    Process p = pb.start();
    try {
      await().atMost(Duration.ofSeconds(90)).until(() -> Files.readString(dir.resolve("out.log")).contains("web: healthy"));
      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the supervisor did not stop on SIGTERM");
    } finally {
      p.destroyForcibly();
    }
    List<ContainerInfo> left = docker.runtime().listManaged(docker.fleet());
    assertEquals(1, left.size());
    assertTrue(left.get(0).running(), "SIGTERM must leave containers running");
  }
}
