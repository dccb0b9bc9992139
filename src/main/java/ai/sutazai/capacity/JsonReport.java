package ai.sutazai.capacity;

import ai.sutazai.fleet.AgentSpec;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * The analysis as JSON, for scripts and the API. Units are in the field names (bytes, cores, percent);
 * percentages are rounded to two decimals. Sections from other rooms are null when absent.
 */
public final class JsonReport {
  private static final ObjectMapper MAPPER = ai.sutazai.common.JsonMappers.pretty();

  private JsonReport() {}

  public static ObjectNode toJson(CapacityAnalysis.Result r, Recommendations rec, ReportInputs in, Instant generatedAt) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("generatedAt", generatedAt.toString());
    ObjectNode host = root.putObject("host");
    host.put("memoryBytes", r.host().memoryBytes());
    host.put("cpus", r.host().cpus());
    host.put("source", r.host().source());
    ObjectNode fleet = root.putObject("fleet");
    fleet.put("name", r.fleet().name());
    fleet.put("source", r.fleet().source() == null ? null : r.fleet().source().toString());
    fleet.put("agents", r.fleet().agents().size());
    fleet.put("memoryRequestBytes", r.memoryRequestBytes());
    fleet.put("memoryLimitBytes", r.memoryLimitBytes());
    fleet.put("cpuRequest", r.cpuRequest());
    ObjectNode targets = root.putObject("targets");
    targets.put("memoryUtilisation", r.targets().memoryUtilisation());
    targets.put("cpuUtilisation", r.targets().cpuUtilisation());
    ObjectNode budget = root.putObject("budget");
    budget.put("memoryBytes", r.memoryBudgetBytes());
    budget.put("cpus", r.cpuBudget());
    ObjectNode s = root.putObject("shortfall");
    s.put("memoryBytes", r.shortfall().memoryBytes());
    s.put("memoryPercent", round2(r.shortfall().memoryPercent()));
    s.put("cpuCores", r.shortfall().cpuCores());
    s.put("cpuPercent", round2(r.shortfall().cpuPercent()));
    root.put("maxConcurrentAgents", r.maxConcurrentAgents());
    root.set("admitted", agents(r.admission().admitted()));
    root.set("notAdmitted", agents(r.admission().rejected()));
    root.set("recommendations", recommendations(rec));
    root.set("health", in.health().map(h -> (ObjectNode) MAPPER.valueToTree(h)).orElse(null));
    root.set("utilisation", in.utilisation().map(u -> (ObjectNode) MAPPER.valueToTree(u)).orElse(null));
    root.set("forecast", in.forecast().map(f -> (ObjectNode) MAPPER.valueToTree(f)).orElse(null));
    root.put("forecastMissing", in.forecastMissing().orElse(null));
    return root;
  }

  public static String render(CapacityAnalysis.Result r, Recommendations rec, ReportInputs in, Instant generatedAt) {
    try {
      return MAPPER.writeValueAsString(toJson(r, rec, in, generatedAt)) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the analysis as JSON", e);
    }
  }

  private static ArrayNode agents(List<AgentSpec> list) {
    ArrayNode arr = MAPPER.createArrayNode();
    for (AgentSpec a : list) {
      ObjectNode o = arr.addObject();
      o.put("name", a.name());
      o.put("priority", a.priority());
      o.put("activation", a.activation() == AgentSpec.Activation.ALWAYS ? "always" : "on-demand");
      o.put("memoryBytes", a.memoryBytes());
      o.put("cpus", a.cpus());
    }
    return arr;
  }

  private static ObjectNode recommendations(Recommendations rec) {
    ObjectNode o = MAPPER.createObjectNode();
    ObjectNode q = o.putObject("quota");
    q.put("maxActive", rec.quota().maxActive());
    q.put("memoryBudgetBytes", rec.quota().memoryBudgetBytes());
    q.put("cpuBudget", rec.quota().cpuBudget());
    ArrayNode always = o.putArray("alwaysOnNotFitting");
    rec.alwaysOnNotFitting().forEach(always::add);
    o.put("currency", rec.prices().currency());
    ArrayNode hw = o.putArray("hardware");
    for (Recommendations.HardwareScenario h : rec.hardware()) {
      ObjectNode x = hw.addObject();
      x.put("scenario", h.name());
      x.put("agents", h.agents());
      x.put("memoryNeededBytes", h.memoryNeededBytes());
      x.put("cpusNeeded", h.cpusNeeded());
      x.put("memoryBytes", h.memoryBytes());
      x.put("cpus", h.cpus());
      x.put("addMemoryBytes", h.addMemoryBytes());
      x.put("addCpus", h.addCpus());
      x.put("memoryCost", round2(h.memoryCost()));
      x.put("cpuCost", round2(h.cpuCost()));
      x.put("totalCost", round2(h.totalCost()));
    }
    return o;
  }

  private static double round2(double v) {
    return Math.round(v * 100.0) / 100.0;
  }
}
