package ai.sutazai.cli.bench.seed;

import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.fleet.HealthSpec;
import ai.sutazai.fleet.PoolSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The seed's fleet scaled to the host model: every agent keeps its name, priority, dependencies, activation
 * and probe timings; memory (request and limit) scales by the memory factor and CPU by the CPU factor, so
 * that requests stay at the seed's 163 % of memory and 338 % of CPU. Each runs the busybox agent program on
 * a free loopback port, with its own seeded resident memory, start-up time and work per task.
 */
final class SeedAgents {
  static final String SCRIPT = readScript();
  static final String DEFAULT_MODEL = "llama3.2:3b";
  /** Memory a container needs beyond what the agent holds (shells, httpd, the task's tools). */
  static final long OVERHEAD = 8L << 20;

  /** One agent as it runs in the bench. */
  record Agent(AgentSpec spec, int port, long holdBytes, long growBytes, long workBytes, int startSeconds, String model) {
    Map<String, String> env() {
      Map<String, String> e = new LinkedHashMap<>();
      e.put("PORT", String.valueOf(port));
      e.put("HOLD_KB", String.valueOf(holdBytes >> 10));
      e.put("GROW_KB", String.valueOf(Math.max(64, growBytes >> 10)));
      e.put("WORK_KB", String.valueOf(workBytes >> 10));
      e.put("START_S", String.valueOf(startSeconds));
      e.put("MODEL", model);
      return e;
    }
  }

  final FleetSpec source;
  final double memoryScale;
  final double cpuScale;
  final List<Agent> agents;

  SeedAgents(FleetSpec source, int count, long hostMemory, double hostCpus, long seed, String image) {
    this.source = source;
    this.memoryScale = hostMemory / (double) HostModel.SEED_MEMORY;
    this.cpuScale = hostCpus / HostModel.SEED_CPUS;
    List<AgentSpec> all = new ArrayList<>(source.agents().values());
    if (count < 1 || count > all.size()) {
      throw new IllegalArgumentException("--agents: expected 1 to " + all.size() + " (the fleet's agents), got " + count);
    }
    // Fewer agents: `count` spread evenly over the file (services and agents alike), keeping only dependencies
    // among them.
    List<AgentSpec> kept = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      kept.add(all.get((int) ((long) i * all.size() / count)));
    }
    List<String> names = kept.stream().map(AgentSpec::name).toList();
    List<Agent> out = new ArrayList<>();
    Random r = new Random(seed);
    for (AgentSpec a : kept) {
      long mem = Math.max(8L << 20, Math.round(a.memoryBytes() * memoryScale));
      long limit = Math.max(mem, Math.round(a.memoryLimitBytes() * memoryScale));
      double cpus = Math.max(0.01, a.cpus() * cpuScale);
      long hold = Math.min(Math.round(mem * (0.55 + 0.30 * r.nextDouble())), limit - OVERHEAD - (1L << 20));
      long grow = Math.max(1L << 20, Math.min(Math.round(mem * 0.25), limit - hold - OVERHEAD));
      long work = (1L + r.nextInt(6)) << 20;
      int start = 2 + r.nextInt(5);
      String model = a.models().isEmpty() ? DEFAULT_MODEL : a.models().get(0);
      int port = freePort();
      HealthSpec h = a.health();
      HealthSpec probe = new HealthSpec(HealthSpec.Kind.HTTP, port, "/health", List.of(), h.interval(), h.timeout(),
          h.retries(), h.startPeriod());
      List<String> deps = a.dependsOn().stream().filter(names::contains).toList();
      AgentSpec spec = new AgentSpec(a.name(), image, List.of("sh", "-c", SCRIPT), Map.of(), mem, limit, cpus,
          a.priority(), deps, a.idleTimeout(), probe, a.models(), a.activation(), "default", a.restart(), a.crashLoop(),
          port, true);
      Agent ag = new Agent(spec, port, hold, grow, work, start, model);
      out.add(new Agent(spec.withEnv(ag.env()), port, hold, grow, work, start, model));
    }
    this.agents = List.copyOf(out);
  }

  /** The scaled fleet under {@code name} (for run B/C and the capacity analysis). */
  FleetSpec fleet(String name) {
    Map<String, AgentSpec> specs = new LinkedHashMap<>();
    agents.forEach(a -> specs.put(a.spec().name(), a.spec()));
    PoolSpec pool = source.pools().getOrDefault("default", new PoolSpec("default", 20, 0, 0, 0));
    return new FleetSpec(name, null, specs, Map.of("default", pool));
  }

  /** This subset's share of the whole fleet's memory requests (1 with every agent). */
  double memoryShare() {
    return memoryRequest() / (source.memoryRequestBytes() * memoryScale);
  }

  /** This subset's share of the whole fleet's CPU requests (1 with every agent). */
  double cpuShare() {
    return cpuRequest() / (source.cpuRequest() * cpuScale);
  }

  long memoryRequest() {
    return agents.stream().mapToLong(a -> a.spec().memoryBytes()).sum();
  }

  double cpuRequest() {
    return agents.stream().mapToDouble(a -> a.spec().cpus()).sum();
  }

  List<String> models() {
    return agents.stream().map(Agent::model).distinct().sorted().toList();
  }

  Duration longestStart() {
    return Duration.ofSeconds(agents.stream().mapToInt(Agent::startSeconds).max().orElse(0));
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String readScript() {
    try (InputStream in = SeedAgents.class.getResourceAsStream("agent.sh")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("agent.sh missing from the jar", e);
    }
  }
}
