package ai.sutazai.cli;

import ai.sutazai.supervisor.container.ContainerSpecs;

import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.DependencyGraph;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.runtime.ContainerInfo;
import ai.sutazai.runtime.ContainerRuntime;
import ai.sutazai.runtime.Labels;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What `run --dry-run` would do: read-only look at the engine, nothing changed, nothing journalled. */
public record Plan(String fleet, List<String> lines) {

  public static Plan of(FleetSpec fleet, ContainerRuntime runtime) {
    Map<String, ContainerInfo> existing = new HashMap<>();
    List<String> lines = new ArrayList<>();
    for (ContainerInfo c : runtime.listManaged(fleet.name())) {
      if (c.agent() != null && fleet.agents().containsKey(c.agent())) {
        existing.put(c.agent(), c);
      } else {
        lines.add("remove   " + c.name() + " (agent '" + c.agent() + "' is not in the fleet)");
      }
    }
    for (String name : DependencyGraph.of(fleet).startOrder()) {
      AgentSpec a = fleet.agents().get(name);
      ContainerInfo c = existing.get(name);
      String deps = a.dependsOn().isEmpty() ? "" : " after " + String.join(", ", a.dependsOn());
      if (a.activation() == AgentSpec.Activation.ON_DEMAND) {
        lines.add("on-demand " + name + (c != null && c.running() ? " (running now: adopt)" : " (started when asked)"));
      } else if (c == null) {
        lines.add("create   " + name + " from " + a.image() + deps);
      } else if (!ContainerSpecs.specHash(a).equals(c.labels().get(Labels.SPEC_HASH))) {
        lines.add("recreate " + name + " (spec changed)" + deps);
      } else if (c.running()) {
        lines.add("adopt    " + name + " (running " + c.id().substring(0, 12) + ")");
      } else {
        lines.add("start    " + name + " (existing " + c.id().substring(0, 12) + ")" + deps);
      }
    }
    return new Plan(fleet.name(), lines);
  }

  public void print(PrintStream out) {
    out.println("dry run: plan for fleet '" + fleet + "' (nothing will be changed)");
    lines.forEach(l -> out.println("  " + l));
  }
}
