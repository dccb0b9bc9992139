package ai.sutazai.cli.bench.chaos;

import ai.sutazai.common.JsonMappers;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** The figures of a {@link ChaosRun.Result} as a table or as JSON. */
public final class ChaosReport {
  private ChaosReport() {}

  public static void table(ChaosRun.Result r, PrintStream out) {
    ChaosRun.Parameters p = r.parameters();
    out.printf(Locale.ROOT, "sutazai bench chaos --agents %d --duration %ds --seed %d --faults %s%n", p.agents(),
        p.duration().toSeconds(), p.seed(), String.join(",", p.faults()));
    out.printf(Locale.ROOT, "  measured over %.0f s, from the engine and the bench's own probes (not the supervisor's view)%n",
        r.measuredSeconds());
    out.printf(Locale.ROOT, "  %-44s %.2f %%%n", "agent-time healthy", 100 * r.agentTimeHealthy());
    out.printf(Locale.ROOT, "  %-44s %.2f %%%n", "  lost while the engine itself was down", 100 * r.engineOutageShare());
    out.printf(Locale.ROOT, "  %-16s %9s %12s %12s %9s %12s%n", "fault", "injected", "heal p50", "heal p99", "restarts",
        "per fault");
    for (Map.Entry<String, ChaosRun.KindFigures> e : r.faults().entrySet()) {
      ChaosRun.KindFigures k = e.getValue();
      out.printf(Locale.ROOT, "  %-16s %9d %12s %12s %9d %12s%s%n", e.getKey(), k.injected(), ms(k.healP50Ms()),
          ms(k.healP99Ms()), k.restarts(), k.injected() == 0 ? "-" : String.format(Locale.ROOT, "%.2f",
              k.restarts() / (double) k.injected()), k.notHealed() == 0 ? "" : "   (" + k.notHealed() + " not healed)");
    }
    row(out, "restarts of agents no fault hit (must be 0)", r.unhitRestarts() + (r.unhitDetail().isEmpty() ? ""
        : "  " + r.unhitDetail()));
    row(out, "duplicate containers ever seen (must be 0)", String.valueOf(r.duplicateContainers()));
    row(out, "acknowledged activations lost (must be 0)", r.lostActivations() + " of " + r.acknowledgedActivations());
    row(out, "unrelated container touched (must be 0)", r.unrelatedTouched() + (r.unrelatedTouched() == 0 ? ""
        : "  (" + r.unrelatedDetail() + ")"));
    row(out, "OOM kills seen by the engine", String.valueOf(r.oomKillsSeen()));
    row(out, "supervisor processes started", r.supervisorStarts() + (r.supervisorExits() == 0 ? ""
        : " (" + r.supervisorExits() + " after it exited by itself, restarted as a service manager would)"));
    if (!r.notHealthyAtEnd().isEmpty()) {
      row(out, "wanted agents not healthy at the end", r.notHealthyAtEnd().toString());
    }
    out.println(r.clean() ? "  every must-be-0 figure is 0" : "  A MUST-BE-0 FIGURE IS NOT 0");
  }

  public static void json(ChaosRun.Result r, PrintStream out) throws Exception {
    var m = JsonMappers.plain();
    ObjectNode root = m.createObjectNode();
    ObjectNode params = root.putObject("parameters");
    params.put("agents", r.parameters().agents());
    params.put("durationSeconds", r.parameters().duration().toSeconds());
    params.put("seed", r.parameters().seed());
    params.put("killRatePerMinute", r.parameters().killRatePerMinute());
    params.putPOJO("faults", r.parameters().faults());
    root.put("agentTimeHealthy", r.agentTimeHealthy());
    root.put("engineOutageShare", r.engineOutageShare());
    ObjectNode faults = root.putObject("faults");
    r.faults().forEach((kind, k) -> {
      ObjectNode f = faults.putObject(kind);
      f.put("injected", k.injected());
      number(f, "healP50Ms", k.healP50Ms());
      number(f, "healP99Ms", k.healP99Ms());
      f.put("restarts", k.restarts());
      f.put("notHealed", k.notHealed());
    });
    root.put("unhitRestarts", r.unhitRestarts());
    root.put("duplicateContainers", r.duplicateContainers());
    root.put("lostActivations", r.lostActivations());
    root.put("unrelatedTouched", r.unrelatedTouched());
    root.put("acknowledgedActivations", r.acknowledgedActivations());
    root.put("oomKillsSeen", r.oomKillsSeen());
    root.put("supervisorStarts", r.supervisorStarts());
    root.put("supervisorExits", r.supervisorExits());
    root.put("measuredSeconds", r.measuredSeconds());
    root.putPOJO("unhitRestartDetail", r.unhitDetail());
    root.putPOJO("notHealthyAtEnd", r.notHealthyAtEnd());
    out.println(m.writerWithDefaultPrettyPrinter().writeValueAsString(root));
  }

  private static void number(ObjectNode n, String key, double v) {
    if (Double.isNaN(v)) {
      n.putNull(key);
    } else {
      n.put(key, (long) v);
    }
  }

  private static String ms(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f ms", v);
  }

  private static void row(PrintStream out, String what, String value) {
    out.printf(Locale.ROOT, "  %-44s %s%n", what, value);
  }
}
