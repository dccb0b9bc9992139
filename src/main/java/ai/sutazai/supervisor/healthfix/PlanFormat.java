package ai.sutazai.supervisor.healthfix;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints a plan and its outcome as a table or as JSON ({@code {"plan":[...],"applied":[...]}}). */
public final class PlanFormat {
  private PlanFormat() {}

  private static final ObjectMapper JSON = ai.sutazai.common.JsonMappers.pretty();

  /** JSON with the plan and, when applied (non-null), the outcomes. */
  public static String json(List<Fix> plan, List<AppliedFix> appliedOrNull, boolean apply) {
    return json(plan, appliedOrNull, apply, null);
  }

  /**
   * As {@link #json(List, List, boolean)}, with {@code "daemon"}: where health-fix looked for a daemon and whether it
   * acts through one ({@code {"url", "used", "says"}}); none when {@code daemonOrNull} is null.
   */
  public static String json(List<Fix> plan, List<AppliedFix> appliedOrNull, boolean apply, Map<String, Object> daemonOrNull) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("mode", apply ? "apply" : "plan");
    if (daemonOrNull != null) {
      root.put("daemon", daemonOrNull);
    }
    root.put("plan", plan);
    if (appliedOrNull != null) {
      root.put("applied", appliedOrNull);
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fixed-width table of the plan. */
  public static String table(List<Fix> plan) {
    if (plan.isEmpty()) {
      return "Nothing to fix: every labelled container is running and not unhealthy.\n";
    }
    StringBuilder out = new StringBuilder();
    String format = "%-28s %-12s %-16s %-26s %s%n";
    out.append(String.format(format, "NAME", "FLEET", "AGENT", "ACTION", "REASON"));
    for (Fix f : plan) {
      out.append(String.format(format, cut(f.name(), 28), cut(f.fleet(), 12), cut(f.agent(), 16),
          f.kind().name().toLowerCase().replace('_', '-'), f.reason()));
      for (Fix.SpecChange c : f.specChanges()) {
        out.append("    fleet spec: ").append(c).append("   (now ").append(c.from()).append(")\n");
      }
    }
    return out.toString();
  }

  /** A table of outcomes. */
  public static String appliedTable(List<AppliedFix> applied) {
    StringBuilder out = new StringBuilder();
    String format = "%-28s %-26s %-6s %s%n";
    out.append(String.format(format, "NAME", "ACTION", "RESULT", "DETAIL"));
    for (AppliedFix a : applied) {
      out.append(String.format(format, cut(a.fix().name(), 28), a.fix().kind().name().toLowerCase().replace('_', '-'),
          a.ok() ? "ok" : "FAILED", a.outcome()));
    }
    return out.toString();
  }

  /** The journalled fixes (newest first) as a table. */
  public static String historyTable(List<HealthFixEvent> events) {
    if (events.isEmpty()) {
      return "No health fixes journalled yet (health-fix --apply records them).\n";
    }
    StringBuilder out = new StringBuilder();
    String format = "%-20s %-12s %-28s %-26s %-6s %s%n";
    out.append(String.format(format, "AT", "FLEET", "NAME", "ACTION", "RESULT", "REASON / OUTCOME"));
    for (HealthFixEvent e : events) {
      out.append(String.format(format, e.at().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), cut(e.fleet(), 12),
          cut(e.name(), 28), e.kind().toLowerCase().replace('_', '-'), e.ok() ? "ok" : "FAILED",
          e.reason() + " / " + e.outcome()));
    }
    return out.toString();
  }

  /** The journalled fixes (newest first) as JSON: {@code {"history":[...]}}. */
  public static String historyJson(List<HealthFixEvent> events) {
    try {
      return JSON.writeValueAsString(Map.of("history", events)) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String cut(String s, int width) {
    if (s == null) {
      return "-";
    }
    return s.length() <= width ? s : s.substring(0, width - 1) + "…";
  }
}
