package ai.sutazai.cluster;

import ai.sutazai.runtime.SimulatedRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The cluster nodes of one test, each with a SimulatedRuntime of its own and its data under {@code dir}; closing
 * stops the nodes, then their runtimes.
 */
final class SimulatedNodes implements AutoCloseable {
  private final Path dir;
  private final List<FleetNode> nodes = new ArrayList<>();
  private final List<SimulatedRuntime> runtimes = new ArrayList<>();

  SimulatedNodes(Path dir) {
    this.dir = dir;
  }

  /** Starts node {@code name} on remoting {@code port}, joining {@code seeds}, with the pools' idle check every 200 ms. */
  FleetNode start(String name, Path fleetFile, int port, String seeds) throws Exception {
    return start(name, fleetFile, port, seeds, Map.of());
  }

  /** As {@link #start(String, Path, int, String)}, with more config overrides. */
  FleetNode start(String name, Path fleetFile, int port, String seeds, Map<String, Object> overrides) throws Exception {
    SimulatedRuntime runtime = SimulatedRuntime.create();
    runtimes.add(runtime);
    Map<String, Object> o = new java.util.HashMap<>(Map.of("sutazai.quota.idle-check-interval", "200ms"));
    o.putAll(overrides);
    FleetNode n = new FleetNode(dir.resolve(name), fleetFile, port, seeds, runtime, "unix:///nonexistent.sock", o);
    nodes.add(n);
    return n;
  }

  @Override
  public void close() {
    nodes.forEach(FleetNode::close);
    runtimes.forEach(SimulatedRuntime::close);
  }
}
