package ai.sutazai.capacity;

import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.FleetSpec;
import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The capacity arithmetic of the seed's analysis, as pure functions of a fleet, a host and utilisation
 * targets: what the fleet asks for, how far over the host that is, and how many agents fit at once.
 * Only requests count, never limits, as in admission.
 */
public final class CapacityAnalysis {
  /** CPU sums are binary fractions; this keeps 11.999999999 from failing a 12-core budget. */
  private static final double CPU_EPSILON = 1e-9;

  private CapacityAnalysis() {}

  /**
   * Share of the host an admission budget may use.
   *
   * @param memoryUtilisation fraction of host memory (0 &lt; x &lt;= 1), {@code sutazai.quota.memory-utilisation-target}
   * @param cpuUtilisation fraction of host cores (&gt; 0; above 1 over-commits CPU), {@code sutazai.quota.cpu-utilisation-target}
   */
  public record Targets(double memoryUtilisation, double cpuUtilisation) {
    public static final Targets DEFAULT = new Targets(0.8, 1.0);

    public Targets {
      if (!(memoryUtilisation > 0 && memoryUtilisation <= 1)) {
        throw new IllegalArgumentException("memory utilisation target must be in (0, 1], got " + memoryUtilisation);
      }
      if (!(cpuUtilisation > 0)) {
        throw new IllegalArgumentException("cpu utilisation target must be more than 0, got " + cpuUtilisation);
      }
    }

    /** From {@code sutazai.quota.*-utilisation-target}, each falling back to {@link #DEFAULT}. */
    public static Targets fromConfig(Config config) {
      String m = "sutazai.quota.memory-utilisation-target";
      String c = "sutazai.quota.cpu-utilisation-target";
      return new Targets(config.hasPath(m) ? config.getDouble(m) : DEFAULT.memoryUtilisation(),
          config.hasPath(c) ? config.getDouble(c) : DEFAULT.cpuUtilisation());
    }
  }

  /**
   * The machine analysed.
   *
   * @param memoryBytes total memory, bytes
   * @param cpus logical processors, cores
   * @param source how it was obtained ("given" on the command line, "detected" through OSHI)
   */
  public record Host(long memoryBytes, double cpus, String source) {}

  /**
   * How far the fleet's requests exceed the host; all zero when they fit.
   *
   * @param memoryBytes requests minus host memory, bytes
   * @param memoryPercent (request - host) / host x 100
   * @param cpuCores requests minus host cores
   * @param cpuPercent (request - host) / host x 100
   */
  public record Shortfall(long memoryBytes, double memoryPercent, double cpuCores, double cpuPercent) {
    public boolean any() {
      return memoryBytes > 0 || cpuCores > CPU_EPSILON;
    }
  }

  /** Agents admitted greedily within budgets, and those left out, each in admission order. */
  public record Admission(List<AgentSpec> admitted, List<AgentSpec> rejected, long memoryUsedBytes, double cpuUsed) {
    public Admission {
      admitted = List.copyOf(admitted);
      rejected = List.copyOf(rejected);
    }
  }

  /**
   * The whole analysis.
   *
   * @param memoryBudgetBytes host memory x memory target, bytes
   * @param cpuBudget host cores x CPU target
   * @param maxConcurrentAgents how many agents fit within both budgets at once
   */
  public record Result(FleetSpec fleet, Host host, Targets targets, long memoryBudgetBytes, double cpuBudget,
      Shortfall shortfall, Admission admission, int maxConcurrentAgents) {

    public long memoryRequestBytes() {
      return fleet.memoryRequestBytes();
    }

    public double cpuRequest() {
      return fleet.cpuRequest();
    }

    public long memoryLimitBytes() {
      return fleet.agents().values().stream().mapToLong(AgentSpec::memoryLimitBytes).sum();
    }
  }

  /** Analyses {@code fleet} on a host of {@code hostMemoryBytes} and {@code hostCpus} cores. */
  public static Result analyze(FleetSpec fleet, Host host, Targets targets) {
    long memoryBudget = memoryBudgetBytes(host.memoryBytes(), targets);
    double cpuBudget = host.cpus() * targets.cpuUtilisation();
    Shortfall s = shortfall(fleet.memoryRequestBytes(), fleet.cpuRequest(), host.memoryBytes(), host.cpus());
    Admission a = admit(fleet.agents().values(), memoryBudget, cpuBudget);
    return new Result(fleet, host, targets, memoryBudget, cpuBudget, s, a, a.admitted().size());
  }

  /** Host memory x target, bytes (rounded down). */
  public static long memoryBudgetBytes(long hostMemoryBytes, Targets targets) {
    return (long) Math.floor(hostMemoryBytes * targets.memoryUtilisation());
  }

  /** The seed's shortfall: request minus host, and that as a percentage of the host; zero when it fits. */
  public static Shortfall shortfall(long requestBytes, double requestCpus, long hostBytes, double hostCpus) {
    long memory = Math.max(0, requestBytes - hostBytes);
    double cpu = Math.max(0, requestCpus - hostCpus);
    return new Shortfall(memory, percentOver(requestBytes, hostBytes), cpu, percentOver(requestCpus, hostCpus));
  }

  /** (request - host) / host x 100, or 0 when the request fits. */
  public static double percentOver(double request, double host) {
    if (host <= 0) {
      throw new IllegalArgumentException("host capacity must be more than 0, got " + host);
    }
    return request > host ? (request - host) / host * 100.0 : 0.0;
  }

  /** Higher priority first; within a priority, the smaller memory request first; then by name. */
  public static Comparator<AgentSpec> admissionOrder() {
    return Comparator.comparingInt(AgentSpec::priority).reversed()
        .thenComparingLong(AgentSpec::memoryBytes)
        .thenComparing(AgentSpec::name);
  }

  /**
   * Admits agents greedily in {@link #admissionOrder()}: each one is admitted if its requests still fit
   * within both budgets, and otherwise skipped, and the next (smaller or less important) ones are still
   * tried. Dependencies are not pulled in: shared services carry the highest priorities in a sane fleet,
   * so they come first anyway.
   */
  public static Admission admit(Collection<AgentSpec> agents, long memoryBudgetBytes, double cpuBudget) {
    List<AgentSpec> ordered = new ArrayList<>(agents);
    ordered.sort(admissionOrder());
    List<AgentSpec> in = new ArrayList<>();
    List<AgentSpec> out = new ArrayList<>();
    long memory = 0;
    double cpu = 0;
    for (AgentSpec a : ordered) {
      if (memory + a.memoryBytes() <= memoryBudgetBytes && cpu + a.cpus() <= cpuBudget + CPU_EPSILON) {
        in.add(a);
        memory += a.memoryBytes();
        cpu += a.cpus();
      } else {
        out.add(a);
      }
    }
    return new Admission(in, out, memory, cpu);
  }
}
