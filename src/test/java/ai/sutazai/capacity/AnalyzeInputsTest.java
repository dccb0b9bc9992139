package ai.sutazai.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.Main;
import ai.sutazai.common.Settings;
import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.HealthSpec;
import ai.sutazai.metrics.stats.CollectorSeries;
import ai.sutazai.metrics.baseline.Baseline;
import ai.sutazai.metrics.baseline.BaselineStore;
import ai.sutazai.metrics.baseline.MetricBaseline;
import ai.sutazai.metrics.stats.Point;
import ai.sutazai.metrics.stats.Summary;
import ai.sutazai.supervisor.agent.AgentEntity;
import ai.sutazai.supervisor.protocol.AgentEvent;
import ai.sutazai.testsupport.JournalWriter;
import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code sutazai analyze} fed from stored data: a hand-made H2 journal and baseline give the health,
 * utilisation and forecast sections their exact numbers; an empty data dir gives "no data yet" sections.
 */
class AnalyzeInputsTest {
  static final String FLEET = "conf/fleets/demo.conf";
  static final long MIB = 1024L * 1024;
  static final long GIB = 1024 * MIB;

  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  static AgentSpec spec(String name) {
    return new AgentSpec(name, "img", List.of(), Map.of(), 32 * MIB, 64 * MIB, 0.1, 10, List.of(), null, HealthSpec.NONE,
        List.of(), AgentSpec.Activation.ALWAYS, "default", null, null);
  }

  static List<AgentEvent> started(String name, Instant at) {
    return new ArrayList<>(List.of(new AgentEvent.Registered(spec(name), at), new AgentEvent.ActivationRequested("boot", at),
        new AgentEvent.ContainerStarted("c-" + name, at), new AgentEvent.BecameHealthy(1000, at.plusSeconds(1))));
  }

  private void writeJournal(Instant now) throws Exception {
    ActorTestKit kit = ActorTestKit.create("journal-writer", Settings.load(null, ConfigFactory.parseMap(Map.of(
        "sutazai.data-dir", dir.toString(), "akka.actor.provider", "local"))));
    try {
      ai.sutazai.common.JournalSchema.migrate(kit.system().settings().config());
      Instant h2 = now.minus(Duration.ofHours(2));
      List<AgentEvent> cache = started("cache", h2);
      List<AgentEvent> flaky = started("flaky", h2);
      flaky.add(new AgentEvent.BecameUnhealthy("probe failed", now.minus(Duration.ofMinutes(60))));
      flaky.add(new AgentEvent.RestartScheduled(0, 1000, "exit 1", now.minus(Duration.ofMinutes(60))));
      flaky.add(new AgentEvent.RestartScheduled(1, 2000, "exit 1", now.minus(Duration.ofMinutes(50))));
      flaky.add(new AgentEvent.CrashLoopDetected(4, 180_000, "exit 1", now.minus(Duration.ofMinutes(30))));
      List<AgentEvent> reporter = started("reporter", now.minus(Duration.ofHours(3)));
      reporter.add(new AgentEvent.Deactivated("idle", now.minus(Duration.ofHours(1))));
      reporter.add(new AgentEvent.ContainerStopped(now.minus(Duration.ofHours(1))));
      // A restart two days ago is outside the 24 h period: it counts for the state only.
      List<AgentEvent> worker = started("worker-1", now.minus(Duration.ofHours(49)));
      worker.add(new AgentEvent.RestartScheduled(0, 1000, "old", now.minus(Duration.ofHours(48))));
      worker.add(new AgentEvent.BecameHealthy(-1, now.minus(Duration.ofHours(47))));
      TestProbe<Done> done = kit.createTestProbe();
      for (Map.Entry<String, List<AgentEvent>> e : Map.of("cache", cache, "flaky", flaky, "reporter", reporter,
          "worker-1", worker).entrySet()) {
        ActorRef<JournalWriter.Write> w = kit.spawn(new JournalWriter(AgentEntity.persistenceId("demo", e.getKey())));
        w.tell(new JournalWriter.Write(e.getValue(), done.getRef()));
        done.receiveMessage(Duration.ofSeconds(30));
      }
    } finally {
      kit.shutdownTestKit();
    }
  }

  private static MetricBaseline metric(String series, double mean, double p95, double max, double warning, double critical) {
    return new MetricBaseline(series, new Summary(20, mean / 2, max, mean, 0.01, mean, p95, p95, max, mean), warning, critical,
        false);
  }

  private void writeBaseline(Instant now) {
    long step = 5000;
    long first = Math.floorDiv(now.toEpochMilli(), step) * step - 19 * step;
    List<Point> used = new ArrayList<>();
    List<Point> total = new ArrayList<>();
    List<Point> cpu = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      used.add(new Point(first + i * step, 4 * GIB + i * 10 * MIB)); // +10 MiB per 5 s sample
      total.add(new Point(first + i * step, 8 * GIB));
      cpu.add(new Point(first + i * step, 20.0));
    }
    Baseline b = new Baseline(0, now, Duration.ofSeconds(100), Duration.ofSeconds(5), "test", 20, List.of(
        metric(CollectorSeries.HOST_MEMORY_UTILISATION_RATIO, 0.5, 0.6, 0.7, 0.7, 0.85),
        metric(CollectorSeries.forAgent(CollectorSeries.CONTAINER_MEMORY_USAGE_BYTES, "cache"), 30 * MIB, 40 * MIB, 50 * MIB,
            60 * MIB, 70 * MIB)),
        Map.of(CollectorSeries.HOST_MEMORY_USED_BYTES, used, CollectorSeries.HOST_MEMORY_TOTAL_BYTES, total,
            CollectorSeries.HOST_CPU_PERCENT, cpu));
    BaselineStore.open("jdbc:h2:file:" + dir.resolve("baselines"), "sa", "", "").save(b);
  }

  @Test
  void journalAndBaselineFillTheReportInMarkdownAndJson() throws Exception {
    Instant now = Instant.now();
    writeJournal(now);
    writeBaseline(now);
    String[] common = {"analyze", "--fleet", FLEET, "--host-memory", "8GiB", "--host-cpus", "4", "--data-dir", dir.toString()};

    Run json = run(concat(common, "--format", "json"));
    assertEquals(0, json.exit(), json.err());
    JsonNode j = new ObjectMapper().readTree(json.out());
    JsonNode h = j.get("health");
    assertEquals(3, h.get("agents").asInt(), "cache, flaky, worker-1 meant to run: " + h);
    assertEquals(2, h.get("healthy").asInt());
    assertEquals(1, h.get("crashLooping").asInt());
    assertEquals(1, h.get("inactive").asInt(), "reporter deactivated");
    assertEquals(2, h.get("restarts").asLong(), "the 48 h old restart is outside the period");
    assertEquals(1, h.get("crashLoops").asLong());
    JsonNode flaky = h.get("mostRestarted").get(0);
    assertEquals("flaky", flaky.get("agent").asText());
    assertEquals("crash-loop", flaky.get("state").asText());
    assertEquals(2, flaky.get("restarts").asLong());
    // running for 2 h, unhealthy/restarting/crash-looping for the last hour: about half
    assertEquals(50.0, flaky.get("unhealthySharePercent").asDouble(), 1.0);

    JsonNode u = j.get("utilisation");
    assertEquals(CollectorSeries.HOST_MEMORY_UTILISATION_RATIO, u.at("/metrics/0/metric").asText());
    assertEquals("%", u.at("/metrics/0/unit").asText());
    assertEquals(60.0, u.at("/metrics/0/p95").asDouble(), 1e-9);
    assertEquals(85.0, u.at("/metrics/0/critical").asDouble(), 1e-9);
    assertEquals("MiB", u.at("/metrics/1/unit").asText());
    assertEquals(40.0, u.at("/metrics/1/p95").asDouble(), 1e-9);

    JsonNode f = j.get("forecast");
    JsonNode mem = f.at("/lines/0");
    assertEquals("host memory used", mem.get("metric").asText());
    // 4 GiB + 10 MiB per step; 1 h = 720 steps after the 20th point: 4096 + (19 + 720) x 10 MiB
    assertEquals((4096 + 739 * 10) / 1024.0, mem.get("predicted").asDouble(), 1e-6);
    assertEquals((4096 + 19 * 10) / 1024.0, mem.get("current").asDouble(), 1e-6);
    // 8 GiB is reached when 4096 + (19 + h) x 10 >= 8192 MiB: h = 391 steps of 5 s
    assertEquals(Duration.ofSeconds(391 * 5), Duration.parse(mem.get("timeToExhaustion").asText()));
    assertEquals("host CPU busy", f.at("/lines/1/metric").asText());
    assertEquals(20.0, f.at("/lines/1/predicted").asDouble(), 1e-6);

    Run md = run(common);
    assertEquals(0, md.exit(), md.err());
    assertTrue(md.out().contains("| 3 | 2 | 0 | 0 | 1 | 2 | 1 | 67 % | 33 % |"), md.out());
    assertTrue(md.out().contains("| flaky | crash-loop | 2 | 1 | 50 % | exit 1 |"), md.out());
    assertTrue(md.out().contains("| " + CollectorSeries.HOST_MEMORY_UTILISATION_RATIO + " | % | 50.00 | 60.00 | 70.00 | 70.00 | 85.00 |"),
        md.out());
    assertTrue(md.out().contains("| host memory used | GiB | holt | 1.0 h | 4.19 | 11.22 | 11.22 – 11.22 | 33 min |"), md.out());
    assertFalse(md.out().contains("no data yet"), md.out());
  }

  @Test
  void anEmptyDataDirGivesNoDataYetSectionsAndCreatesNothing() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    String[] common = {"analyze", "--fleet", FLEET, "--host-memory", "8GiB", "--host-cpus", "4", "--data-dir", empty.toString()};
    Run json = run(concat(common, "--format", "json"));
    assertEquals(0, json.exit(), json.err());
    JsonNode j = new ObjectMapper().readTree(json.out());
    assertTrue(j.get("health").isNull());
    assertTrue(j.get("utilisation").isNull());
    assertTrue(j.get("forecast").isNull());
    Run md = run(common);
    assertEquals(0, md.exit(), md.err());
    assertTrue(md.out().contains(AnalysisReport.NO_HEALTH), md.out());
    assertTrue(md.out().contains(AnalysisReport.NO_UTILISATION), md.out());
    assertTrue(md.out().contains(AnalysisReport.NO_FORECAST), md.out());
    try (var files = Files.list(empty)) {
      // The H2 account's password file may be made (ai.sutazai.common.H2Account); databases must not be.
      assertEquals(0, files.filter(f -> !f.getFileName().toString().equals(ai.sutazai.common.H2Account.PASSWORD_FILE))
          .count(), "reading must not create databases");
    }
  }

  @Test
  void aBaselineWithoutSamplesSaysWhatTheForecastLacks() throws Exception {
    Instant now = Instant.now();
    BaselineStore.open("jdbc:h2:file:" + dir.resolve("baselines"), "sa", "", "").save(new Baseline(0, now,
        Duration.ofMinutes(1), Duration.ofSeconds(5), "old", 12, List.of(metric(CollectorSeries.HOST_CPU_PERCENT, 20, 30, 40, 50, 60))));
    Run md = run("analyze", "--fleet", FLEET, "--host-memory", "8GiB", "--host-cpus", "4", "--data-dir", dir.toString());
    assertEquals(0, md.exit(), md.err());
    assertTrue(md.out().contains("keeps statistics only, no samples of " + CollectorSeries.HOST_MEMORY_USED_BYTES), md.out());
    assertTrue(md.out().contains("| " + CollectorSeries.HOST_CPU_PERCENT + " | % | 20.00 | 30.00 | 40.00 | 50.00 | 60.00 |"), md.out());
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
