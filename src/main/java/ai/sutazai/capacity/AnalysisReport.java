package ai.sutazai.capacity;

import ai.sutazai.capacity.ReportDocument.ChartKind;
import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.Sizes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds the seed's {@code system_performance_analysis.md} from data: summary, capacity, shortfall, the
 * agents that fit, health, utilisation, forecast and recommendations. Sections whose data comes from
 * elsewhere say "no data yet" and which command produces it.
 */
public final class AnalysisReport {
  static final String NO_HEALTH = "no data yet: run `sutazai run` to supervise the fleet; its lifecycle events "
      + "in the journal (restarts, crash loops, unhealthy probes) feed this section.";
  static final String NO_UTILISATION = "no data yet: run `sutazai baseline --quick` (or `--duration 30m`) "
      + "to record a performance baseline.";
  static final String NO_FORECAST = "no data yet: forecasts need metrics history; keep `sutazai run` "
      + "collecting metrics, or record baselines with `sutazai baseline --duration 30m`.";

  private AnalysisReport() {}

  public static ReportDocument build(CapacityAnalysis.Result r, Recommendations rec, ReportInputs in, Instant generatedAt) {
    ReportDocument.Builder b = new ReportDocument.Builder("SutazAI system performance analysis");
    String source = r.fleet().source() == null ? "" : " (`" + r.fleet().source() + "`)";
    b.paragraph("Fleet **" + r.fleet().name() + "**" + source + ", " + r.fleet().agents().size() + " agents, on a host with "
        + Fmt.gib(r.host().memoryBytes()) + " of memory and " + Fmt.cores(r.host().cpus()) + " CPUs ("
        + ("given".equals(r.host().source()) ? "given on the command line" : "detected on this machine") + "). Generated "
        + generatedAt.truncatedTo(ChronoUnit.SECONDS) + " by `sutazai analyze`.");
    summary(b, r, in);
    capacity(b, r);
    shortfall(b, r);
    admission(b, r);
    health(b, in);
    utilisation(b, in);
    forecast(b, in);
    recommendations(b, r, rec);
    return b.build();
  }

  private static void summary(ReportDocument.Builder b, CapacityAnalysis.Result r, ReportInputs in) {
    b.heading(2, "Summary", "summary");
    CapacityAnalysis.Shortfall s = r.shortfall();
    List<String> items = new ArrayList<>();
    int n = r.fleet().agents().size();
    items.add(s.memoryBytes() > 0
        ? "**Memory shortage**: " + Fmt.gib(s.memoryBytes()) + " shortfall (" + Fmt.pct(s.memoryPercent())
            + " over capacity) when all " + n + " agents are active."
        : "**Memory**: all " + n + " agents fit in the host's memory (" + Fmt.gib(r.memoryRequestBytes()) + " of "
            + Fmt.gib(r.host().memoryBytes()) + ").");
    items.add(s.cpuCores() > 0
        ? "**CPU over-allocation**: " + Fmt.pct(s.cpuPercent()) + " over capacity (" + Fmt.cores(r.cpuRequest())
            + " cores needed, " + Fmt.cores(r.host().cpus()) + " available)."
        : "**CPU**: the fleet's " + Fmt.cores(r.cpuRequest()) + " cores fit in the host's " + Fmt.cores(r.host().cpus()) + ".");
    items.add("**Concurrency**: " + r.maxConcurrentAgents() + " of " + n + " agents fit at once within the budgets ("
        + Fmt.pct(r.targets().memoryUtilisation() * 100) + " of memory, " + Fmt.pct(r.targets().cpuUtilisation() * 100)
        + " of CPU).");
    in.health().ifPresent(h -> items.add("**Container health**: " + Fmt.pct(h.healthRatePercent()) + " healthy, "
        + Fmt.pct(h.unhealthySharePercent()) + " unhealthy or crash-looping, " + h.restarts() + " restarts."));
    b.bullets(items);
  }

  private static void capacity(ReportDocument.Builder b, CapacityAnalysis.Result r) {
    b.heading(2, "Capacity", "capacity");
    CapacityAnalysis.Shortfall s = r.shortfall();
    b.table(List.of("resource", "host", "budget (target)", "fleet requests", "fleet limits", "shortfall", "over capacity"),
        List.of(false, true, true, true, true, true, true),
        List.of(
            List.of("memory", Fmt.gib(r.host().memoryBytes()),
                Fmt.gib(r.memoryBudgetBytes()) + " (" + Fmt.pct(r.targets().memoryUtilisation() * 100) + ")",
                Fmt.gib(r.memoryRequestBytes()), Fmt.gib(r.memoryLimitBytes()), Fmt.gib(s.memoryBytes()),
                Fmt.pct(s.memoryPercent())),
            List.of("CPU (cores)", Fmt.cores(r.host().cpus()),
                Fmt.cores(r.cpuBudget()) + " (" + Fmt.pct(r.targets().cpuUtilisation() * 100) + ")",
                Fmt.cores(r.cpuRequest()), Fmt.cores(r.cpuRequest()), Fmt.cores(s.cpuCores()), Fmt.pct(s.cpuPercent()))));
    b.chart(ChartKind.CAPACITY);
    List<List<String>> rows = new ArrayList<>();
    for (AgentSpec.Activation act : AgentSpec.Activation.values()) {
      List<AgentSpec> group = r.fleet().agents().values().stream().filter(a -> a.activation() == act).toList();
      long mem = group.stream().mapToLong(AgentSpec::memoryBytes).sum();
      double cpu = group.stream().mapToDouble(AgentSpec::cpus).sum();
      rows.add(List.of(act == AgentSpec.Activation.ALWAYS ? "always" : "on-demand", String.valueOf(group.size()),
          Fmt.gib(mem), Fmt.pct(mem * 100.0 / r.host().memoryBytes()), Fmt.cores(cpu), Fmt.pct(cpu * 100 / r.host().cpus())));
    }
    b.paragraph("By activation: what must run all the time, and what may wait for demand.");
    b.table(List.of("activation", "agents", "memory", "of host memory", "CPU (cores)", "of host CPU"),
        List.of(false, true, true, true, true, true), rows);
  }

  private static void shortfall(ReportDocument.Builder b, CapacityAnalysis.Result r) {
    b.heading(2, "Shortfall", "shortfall");
    CapacityAnalysis.Shortfall s = r.shortfall();
    if (!s.any()) {
      b.paragraph("None: with every agent active the fleet asks for " + Fmt.gib(r.memoryRequestBytes()) + " and "
          + Fmt.cores(r.cpuRequest()) + " cores, within the host's " + Fmt.gib(r.host().memoryBytes()) + " and "
          + Fmt.cores(r.host().cpus()) + " cores.");
      return;
    }
    b.paragraph(String.format(Locale.ROOT,
        "With every agent active the fleet asks for %s of memory and %s cores. The host has %s and %s cores: "
            + "memory is short by **%s** (%s over capacity, %.1f %% exactly) and CPU by **%s cores** (%s over "
            + "capacity, %.1f %% exactly). Running everything at once over-commits the host: the kernel's OOM "
            + "killer and CPU throttling turn into restarts, failed probes and cascades through dependencies.",
        Fmt.gib(r.memoryRequestBytes()), Fmt.cores(r.cpuRequest()), Fmt.gib(r.host().memoryBytes()),
        Fmt.cores(r.host().cpus()), Fmt.gib(s.memoryBytes()), Fmt.pct(s.memoryPercent()), s.memoryPercent(),
        Fmt.cores(s.cpuCores()), Fmt.pct(s.cpuPercent()), s.cpuPercent()));
  }

  private static void admission(ReportDocument.Builder b, CapacityAnalysis.Result r) {
    b.heading(2, "Agents that fit, by priority", "admission");
    CapacityAnalysis.Admission a = r.admission();
    b.paragraph("Agents admitted greedily in priority order (higher first; within a priority, smaller memory request "
        + "first) while both budgets hold; an agent that does not fit is skipped and the ones after it are still "
        + "tried. **" + r.maxConcurrentAgents() + "** agents fit, using " + Fmt.gib(a.memoryUsedBytes()) + " of the "
        + Fmt.gib(r.memoryBudgetBytes()) + " memory budget and " + Fmt.cores(a.cpuUsed()) + " of the "
        + Fmt.cores(r.cpuBudget()) + " CPU budget.");
    List<List<String>> rows = new ArrayList<>();
    long mem = 0;
    double cpu = 0;
    int i = 1;
    for (AgentSpec s : a.admitted()) {
      mem += s.memoryBytes();
      cpu += s.cpus();
      rows.add(List.of(String.valueOf(i++), s.name(), String.valueOf(s.priority()), activation(s), Sizes.human(s.memoryBytes()),
          Fmt.cores(s.cpus()), Fmt.gib(mem), Fmt.cores(cpu)));
    }
    b.table(List.of("#", "agent", "priority", "activation", "memory", "CPU", "memory so far", "CPU so far"),
        List.of(true, false, true, false, true, true, true, true), rows);
    b.chart(ChartKind.ADMISSION);
    if (!a.rejected().isEmpty()) {
      List<String> names = a.rejected().stream()
          .map(s -> "`" + s.name() + "` (" + s.priority() + ", " + Sizes.human(s.memoryBytes()) + ", " + Fmt.cores(s.cpus()) + " CPU)")
          .toList();
      b.paragraph("Left out (" + a.rejected().size() + ", in admission order; they start on demand as the quota "
          + "frees room): " + String.join(", ", names) + ".");
    }
  }

  private static void health(ReportDocument.Builder b, ReportInputs in) {
    b.heading(2, "Container health", "health");
    if (in.health().isEmpty()) {
      b.paragraph(NO_HEALTH);
      return;
    }
    ReportInputs.HealthSummary h = in.health().get();
    b.paragraph("From the journal, " + h.from().truncatedTo(ChronoUnit.SECONDS) + " to " + h.to().truncatedTo(ChronoUnit.SECONDS)
        + ": the state of each agent meant to be running at the end (" + h.inactive() + " more are deactivated), and the "
        + "restarts and crash loops within the period.");
    b.table(List.of("agents", "healthy", "unhealthy", "degraded", "crash loop", "restarts", "crash loops", "health rate",
            "unhealthy share"),
        List.of(true, true, true, true, true, true, true, true, true),
        List.of(List.of(String.valueOf(h.agents()), String.valueOf(h.healthy()), String.valueOf(h.unhealthy()),
            String.valueOf(h.degraded()), String.valueOf(h.crashLooping()), String.valueOf(h.restarts()),
            String.valueOf(h.crashLoops()), Fmt.pct(h.healthRatePercent()), Fmt.pct(h.unhealthySharePercent()))));
    b.chart(ChartKind.HEALTH);
    if (!h.mostRestarted().isEmpty()) {
      b.paragraph("Per agent (most restarts first; unhealthy share = time unhealthy, restarting or crash-looping of "
          + "the time it was meant to run):");
      b.table(List.of("agent", "state", "restarts", "crash loops", "unhealthy share", "last reason"),
          List.of(false, false, true, true, true, false),
          h.mostRestarted().stream().map(x -> List.of(x.agent(), x.state(), String.valueOf(x.restarts()),
              String.valueOf(x.crashLoops()), Fmt.pct(x.unhealthySharePercent()),
              x.lastReason() == null ? "—" : x.lastReason())).toList());
    }
  }

  private static void utilisation(ReportDocument.Builder b, ReportInputs in) {
    b.heading(2, "Utilisation (latest baseline)", "utilisation");
    if (in.utilisation().isEmpty()) {
      b.paragraph(NO_UTILISATION);
      return;
    }
    ReportInputs.Utilisation u = in.utilisation().get();
    b.paragraph("Baseline `" + u.baselineId() + "`, recorded " + u.recordedAt().truncatedTo(ChronoUnit.SECONDS) + " over "
        + Fmt.duration(u.duration()) + " (`sutazai baseline show " + u.baselineId() + "`)."
        + (u.incomplete() == null ? "" : " It is " + u.incomplete() + ", the only baseline there is: the figures "
            + "cover what was recorded."));
    b.table(List.of("metric", "unit", "mean", "p95", "max", "warning", "critical"),
        List.of(false, false, true, true, true, true, true),
        u.metrics().stream().map(m -> List.of(m.metric(), m.unit(), Fmt.num(m.mean()), Fmt.num(m.p95()), Fmt.num(m.max()),
            m.warning() == null ? "—" : Fmt.num(m.warning()), m.critical() == null ? "—" : Fmt.num(m.critical()))).toList());
  }

  private static void forecast(ReportDocument.Builder b, ReportInputs in) {
    b.heading(2, "Forecast", "forecast");
    if (in.forecast().isEmpty()) {
      b.paragraph(in.forecastMissing().map(m -> "no data yet: " + m).orElse(NO_FORECAST));
      return;
    }
    ReportInputs.Forecast f = in.forecast().get();
    b.paragraph("From " + f.source() + ", up to " + f.generatedAt().truncatedTo(ChronoUnit.SECONDS) + ": the value each "
        + "forecast reaches at the end of its horizon, with its prediction interval, and when memory or CPU would be "
        + "exhausted at that trend.");
    b.table(List.of("metric", "unit", "method", "horizon", "now", "predicted", "interval", "exhausted in"),
        List.of(false, false, false, true, true, true, true, true),
        f.lines().stream().map(l -> List.of(l.metric(), l.unit(), l.method(), Fmt.duration(l.horizon()),
            l.current() == null ? "—" : Fmt.num(l.current()),
            Fmt.num(l.predicted()), Fmt.num(l.lower()) + " – " + Fmt.num(l.upper()),
            l.timeToExhaustion() == null ? "not at this trend" : Fmt.duration(l.timeToExhaustion()))).toList());
  }

  private static void recommendations(ReportDocument.Builder b, CapacityAnalysis.Result r, Recommendations rec) {
    b.heading(2, "Recommendations", "recommendations");
    b.heading(3, "Quota", "quota");
    Recommendations.Quota q = rec.quota();
    b.paragraph("Admit no more than the host can hold; the rest of the fleet starts on demand through the activation "
        + "queue. Set in the fleet spec:");
    b.code("hocon", "sutazai.fleet.pools.default {\n"
        + "  max-active = " + q.maxActive() + "\n"
        + "  memory-budget = " + Fmt.hoconMib(q.memoryBudgetBytes()) + "   # " + Fmt.gib(q.memoryBudgetBytes()) + " = "
        + Fmt.pct(r.targets().memoryUtilisation() * 100) + " of " + Fmt.gib(r.host().memoryBytes()) + "\n"
        + "  cpu-budget = " + Fmt.cores(q.cpuBudget()) + "\n"
        + "}");
    if (!rec.alwaysOnNotFitting().isEmpty()) {
      b.paragraph("These agents are marked `activation = always` but do not fit within the budgets; make them "
          + "`on-demand` or raise the budgets: " + String.join(", ", rec.alwaysOnNotFitting().stream().map(n -> "`" + n + "`").toList()) + ".");
    }
    b.heading(3, "Hardware", "hardware");
    String cur = rec.prices().currency();
    List<List<String>> rows = new ArrayList<>();
    for (Recommendations.HardwareScenario h : rec.hardware()) {
      rows.add(List.of(h.name(), String.valueOf(h.agents()), Fmt.gib(h.memoryNeededBytes()), Fmt.cores(h.cpusNeeded()),
          Fmt.gib(h.memoryBytes()) + ", " + Fmt.cores(h.cpus()) + " cores",
          "+" + Fmt.gib(h.addMemoryBytes()) + ", +" + Fmt.cores(h.addCpus()) + " cores",
          Fmt.money(h.memoryCost(), cur) + " + " + Fmt.money(h.cpuCost(), cur) + " = " + Fmt.money(h.totalCost(), cur)));
    }
    b.table(List.of("scenario", "agents at once", "memory needed", "CPU needed", "host", "to add", "estimated cost"),
        List.of(false, true, true, true, true, true, true), rows);
    b.paragraph("Needs are the requests of the most important agents divided by the utilisation targets, rounded up to "
        + Sizes.human(rec.prices().memoryStepBytes()) + " and " + rec.prices().cpuStep() + " cores. Prices ("
        + "`sutazai.capacity.prices`): " + Fmt.unitPrice(rec.prices().memoryPerGib(), cur) + " per GiB, "
        + Fmt.unitPrice(rec.prices().cpuPerCore(), cur) + " per core.");
  }

  private static String activation(AgentSpec s) {
    return s.activation() == AgentSpec.Activation.ALWAYS ? "always" : "on-demand";
  }
}
