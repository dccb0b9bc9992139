package ai.sutazai.api;

import static ai.sutazai.api.TestServer.VIEWER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Prometheus's own checker, promtool (Debian's prometheus package, cluster/dev/prometheus.sh): the shipped alert
 * rules pass {@code promtool check rules}, and a live scrape of /metrics passes {@code promtool check metrics}
 * (its lint: base units, _total counters, snake case, HELP on every family).
 */
class PromtoolTest {
  static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  /** promtool's exit code and output for {@code args}, {@code stdin} fed to it. */
  static String[] promtool(String stdin, String... args) throws Exception {
    if (!Files.isExecutable(PROMTOOL)) {
      fail(PROMTOOL + " is not installed: run cluster/dev/prometheus.sh (Debian's prometheus package, as root)");
    }
    String[] cmd = new String[args.length + 1];
    cmd[0] = PROMTOOL.toString();
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
    return new String[] {Integer.toString(p.exitValue()), out};
  }

  @Test
  void shippedAlertRulesPassCheckRules() throws Exception {
    String[] r = promtool("", "check", "rules", "conf/prometheus/alerts.yml");
    assertEquals("0", r[0], r[1]);
    assertTrue(r[1].contains("SUCCESS: 8 rules found"), r[1]);
  }

  @Test
  void aLiveScrapePassesCheckMetrics() throws Exception {
    try (TestServer s = new TestServer()) {
      // the rooms that register their own metrics when they first work
      ai.sutazai.metrics.DecisionLatency.get(s.system).recordRequest(2_000_000);
      ai.sutazai.common.JournalHealth.get(s.system);
      s.get("/api/v1/agents", VIEWER);
      var scrape = s.get("/metrics", null);
      assertEquals(200, scrape.statusCode());
      assertTrue(scrape.body().contains("# TYPE sutazai_"), scrape.body());
      String[] r = promtool(scrape.body(), "check", "metrics");
      assertEquals("0", r[0], r[1]);
      assertTrue(r[1].isBlank(), "promtool's lint: " + r[1]);
    }
  }
}
