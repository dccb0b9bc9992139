package ai.sutazai.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.cli.bench.chaos.ChaosReport;
import ai.sutazai.cli.bench.chaos.ChaosRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import org.junit.jupiter.api.Test;

/**
 * A short {@code bench chaos} run (6 agents, 2 minutes of faults, every kind: about six SIGKILLs, two OOM
 * kills, a CPU hog, one engine restart, one PostgreSQL restart, two kill -9s of the supervisor) on the bench's
 * own private Docker engine and PostgreSQL (needs root, dockerd and PostgreSQL; fails without them). What
 * must hold under faults holds: no agent restarted that no fault hit, no duplicate container, no acknowledged
 * activation lost, the unrelated container untouched; and every kind was injected and healed.
 */
class ChaosBenchTest {
  @Test
  void underEveryKindOfFaultNothingIsLostDuplicatedOrRestartedWithoutCause() throws Exception {
    Path logs = Files.createTempDirectory("chaos-bench-test-logs");
    ChaosRun.Result r;
    try (ChaosRun run = new ChaosRun(new ChaosRun.Parameters(6, Duration.ofMinutes(2), 7,
        new LinkedHashSet<>(ChaosRun.KINDS), 0.5, logs), System.out)) {
      r = run.run();
    }
    ByteArrayOutputStream table = new ByteArrayOutputStream();
    ChaosReport.table(r, new PrintStream(table, true, StandardCharsets.UTF_8));
    String report = table.toString(StandardCharsets.UTF_8) + "\n(logs in " + logs + ")";
    System.out.println(report);
    for (String kind : ChaosRun.KINDS) {
      assertTrue(r.faults().get(kind).injected() >= 1, kind + " was never injected\n" + report);
      assertEquals(0, r.faults().get(kind).notHealed(), kind + " not healed\n" + report);
    }
    assertTrue(r.faults().get("kill").injected() >= 2, report);
    assertTrue(r.oomKillsSeen() >= 1, "no OOM kill reached the engine\n" + report);
    assertTrue(r.acknowledgedActivations() >= 1, report);
    assertEquals(0, r.unhitRestarts(), "agents restarted that no fault hit\n" + report);
    assertEquals(0, r.duplicateContainers(), "duplicate containers\n" + report);
    assertEquals(0, r.lostActivations(), "acknowledged activations lost\n" + report);
    assertEquals(0, r.unrelatedTouched(), "the unrelated container was touched\n" + report);
    assertTrue(r.notHealthyAtEnd().isEmpty(), "wanted agents not healthy at the end\n" + report);
    // Passed: the logs are not needed (on a failure they stay, named in the message).
    try (var files = Files.walk(logs)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
