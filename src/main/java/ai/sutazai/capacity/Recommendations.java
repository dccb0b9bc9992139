package ai.sutazai.capacity;

import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.Sizes;
import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;

/**
 * What to do about an analysis: the quota to set now, and the hardware to buy so that all of the fleet,
 * or the seed's 60 % of it, can run at once.
 *
 * @param quota the pool quota that keeps the host inside its budgets
 * @param alwaysOnNotFitting agents marked {@code activation = always} that the budgets cannot hold
 * @param hardware one scenario per concurrency level: 100 % of the fleet, then the concurrency target
 */
public record Recommendations(Quota quota, List<String> alwaysOnNotFitting, List<HardwareScenario> hardware, Prices prices) {

  public Recommendations {
    alwaysOnNotFitting = List.copyOf(alwaysOnNotFitting);
    hardware = List.copyOf(hardware);
  }

  /**
   * @param maxActive agents active at once (= maxConcurrentAgents)
   * @param memoryBudgetBytes bytes
   * @param cpuBudget cores
   */
  public record Quota(int maxActive, long memoryBudgetBytes, double cpuBudget) {}

  /**
   * Hardware for running {@code agents} agents at once within the utilisation targets.
   *
   * @param memoryNeededBytes the agents' requests / memory target, bytes
   * @param cpusNeeded the agents' CPU requests / CPU target, cores
   * @param memoryBytes host memory to have: the need rounded up to the memory step (never below today's)
   * @param cpus host cores to have: the need rounded up to the CPU step (never below today's)
   * @param addMemoryBytes memory to add, bytes
   * @param addCpus cores to add
   * @param memoryCost estimated cost of the added memory, in {@link Prices#currency()}
   * @param cpuCost estimated cost of the added cores
   */
  public record HardwareScenario(String name, int agents, long memoryNeededBytes, double cpusNeeded,
      long memoryBytes, double cpus, long addMemoryBytes, double addCpus, double memoryCost, double cpuCost) {
    public double totalCost() {
      return memoryCost + cpuCost;
    }
  }

  /**
   * Prices and rounding for hardware estimates ({@code sutazai.capacity}).
   *
   * @param memoryPerGib price of one added GiB; default $1,500 / (64 - 29) GiB, the seed's memory upgrade
   * @param cpuPerCore price of one added core; default $2,000 / (32 - 12) cores, the seed's CPU upgrade
   * @param memoryStepBytes memory is bought in multiples of this, bytes
   * @param cpuStep cores are bought in multiples of this
   * @param concurrencyTarget the share of the fleet the second scenario runs at once (the seed's 60 %)
   */
  public record Prices(double memoryPerGib, double cpuPerCore, String currency, long memoryStepBytes, int cpuStep,
      double concurrencyTarget) {
    public static final Prices DEFAULT = new Prices(1500.0 / 35, 2000.0 / 20, "USD", 8 * Sizes.GIB, 4, 0.6);

    public static Prices fromConfig(Config c) {
      String p = "sutazai.capacity.";
      Prices d = DEFAULT;
      return new Prices(
          c.hasPath(p + "prices.memory-per-gib") ? c.getDouble(p + "prices.memory-per-gib") : d.memoryPerGib(),
          c.hasPath(p + "prices.cpu-per-core") ? c.getDouble(p + "prices.cpu-per-core") : d.cpuPerCore(),
          c.hasPath(p + "prices.currency") ? c.getString(p + "prices.currency") : d.currency(),
          c.hasPath(p + "memory-step") ? c.getBytes(p + "memory-step") : d.memoryStepBytes(),
          c.hasPath(p + "cpu-step") ? c.getInt(p + "cpu-step") : d.cpuStep(),
          c.hasPath(p + "concurrency-target") ? c.getDouble(p + "concurrency-target") : d.concurrencyTarget());
    }
  }

  /** The recommendations that follow from {@code r}. */
  public static Recommendations of(CapacityAnalysis.Result r, Prices prices) {
    Quota quota = new Quota(r.maxConcurrentAgents(), r.memoryBudgetBytes(), r.cpuBudget());
    List<String> alwaysOut = new ArrayList<>();
    for (AgentSpec a : r.admission().rejected()) {
      if (a.activation() == AgentSpec.Activation.ALWAYS) {
        alwaysOut.add(a.name());
      }
    }
    List<AgentSpec> ordered = new ArrayList<>(r.fleet().agents().values());
    ordered.sort(CapacityAnalysis.admissionOrder());
    int n = ordered.size();
    int partial = (int) Math.ceil(n * prices.concurrencyTarget() - 1e-9);
    List<HardwareScenario> hw = new ArrayList<>();
    hw.add(scenario("100 % of the fleet", ordered, r, prices));
    if (partial < n) {
      String pct = String.format(java.util.Locale.ROOT, "%.0f %% concurrency", prices.concurrencyTarget() * 100);
      hw.add(scenario(pct, ordered.subList(0, partial), r, prices));
    }
    return new Recommendations(quota, alwaysOut, hw, prices);
  }

  /** Hardware to run {@code agents} (the most important ones) at once within the targets. */
  static HardwareScenario scenario(String name, List<AgentSpec> agents, CapacityAnalysis.Result r, Prices prices) {
    long requestBytes = agents.stream().mapToLong(AgentSpec::memoryBytes).sum();
    double requestCpus = agents.stream().mapToDouble(AgentSpec::cpus).sum();
    long memoryNeeded = (long) Math.ceil(requestBytes / r.targets().memoryUtilisation());
    double cpusNeeded = requestCpus / r.targets().cpuUtilisation();
    long hostMemory = r.host().memoryBytes();
    double hostCpus = r.host().cpus();
    long memory = memoryNeeded <= hostMemory ? hostMemory : roundUp(memoryNeeded, prices.memoryStepBytes());
    double cpus = cpusNeeded <= hostCpus + 1e-9 ? hostCpus : Math.ceil(cpusNeeded / prices.cpuStep() - 1e-9) * prices.cpuStep();
    long addMemory = memory - hostMemory;
    double addCpus = cpus - hostCpus;
    return new HardwareScenario(name, agents.size(), memoryNeeded, cpusNeeded, memory, cpus, addMemory, addCpus,
        addMemory / (double) Sizes.GIB * prices.memoryPerGib(), addCpus * prices.cpuPerCore());
  }

  private static long roundUp(long value, long step) {
    return step <= 0 ? value : ((value + step - 1) / step) * step;
  }
}
