package ai.sutazai.fleet;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads and validates a fleet spec: the {@code sutazai.fleet} block of a HOCON file. Every problem is
 * collected and thrown together as a {@link FleetValidationException}, each naming file, agent (or pool)
 * and key. Keys outside {@code sutazai} are ignored, so a fleet file may hold templates that its agents
 * pull in by substitution ({@code coder-1 = ${templates.coder} { ... }}).
 */
public final class FleetLoader {
  static final Set<String> SUTAZAI_KEYS = Set.of("fleet");
  static final Set<String> FLEET_KEYS = Set.of("name", "agents", "pools");
  static final Set<String> AGENT_KEYS = Set.of("image", "command", "env", "memory", "memory-limit", "cpus",
      "priority", "depends-on", "idle-timeout", "health", "models", "activation", "pool", "restart", "crash-loop",
      "port", "public", "security");
  static final Set<String> POOL_KEYS = Set.of("max-active", "memory-budget", "cpu-budget", "min-active", "restart-budget");
  static final Set<String> RESTART_BUDGET_KEYS = Set.of("max-restarts", "window");

  private FleetLoader() {}

  /**
   * Loads {@code file}. {@code supervisorDefaults} (the layered application config, may be null) serves
   * substitutions in the file, the health-probe defaults ({@code sutazai.supervisor.health}) and the quota
   * of pools that agents name but the file does not declare ({@code sutazai.quota.default-pool}).
   *
   * @throws FleetValidationException listing every problem found
   */
  public static FleetSpec load(Path file, Config supervisorDefaults) {
    String where = file.toString();
    Path onDisk = locate(file);
    java.net.URL packaged = onDisk == null ? packaged(file) : null;
    if (onDisk == null && packaged == null) {
      throw new FleetValidationException(where, List.of(where + ": no such file"));
    }
    Config parsed;
    try {
      ConfigParseOptions options = ConfigParseOptions.defaults().setAllowMissing(false);
      parsed = onDisk != null ? ConfigFactory.parseFile(onDisk.toFile(), options) : ConfigFactory.parseURL(packaged, options);
    } catch (ConfigException e) {
      throw new FleetValidationException(where, List.of(where + ": cannot parse: " + e.getMessage()));
    }
    return fromConfig(parsed, file, supervisorDefaults);
  }

  /**
   * The file as given; a relative path that does not exist is also looked up under {@code $SUTAZAI_HOME}
   * (as conf/application.conf is). Null when neither exists.
   */
  private static Path locate(Path file) {
    if (Files.isRegularFile(file)) {
      return file;
    }
    String home = System.getenv("SUTAZAI_HOME");
    if (!file.isAbsolute() && home != null && Files.isRegularFile(Path.of(home).resolve(file))) {
      return Path.of(home).resolve(file);
    }
    return null;
  }

  /** A relative path such as conf/fleets/demo.conf inside the jar (conf/ is packaged), so the jar runs anywhere. */
  private static java.net.URL packaged(Path file) {
    if (file.isAbsolute()) {
      return null;
    }
    String resource = file.normalize().toString().replace(java.io.File.separatorChar, '/');
    return resource.startsWith("conf/") ? FleetLoader.class.getClassLoader().getResource(resource) : null;
  }

  /** As {@link #load}, for a spec already parsed (tests, specs built from strings). */
  public static FleetSpec fromConfig(Config parsed, Path source, Config supervisorDefaults) {
    String where = source == null ? "<fleet>" : source.toString();
    Config defaults = supervisorDefaults == null ? ConfigFactory.empty() : supervisorDefaults;
    List<String> problems = new ArrayList<>();
    Config resolved;
    try {
      resolved = parsed.withFallback(defaults.withoutPath("sutazai.fleet")).resolve();
    } catch (ConfigException e) {
      throw new FleetValidationException(where, List.of(where + ": cannot resolve: " + e.getMessage()));
    }
    ConfigValue sutazai = parsed.root().get("sutazai");
    if (sutazai instanceof ConfigObject so) {
      new SpecReader(where, "fleet", "sutazai.", so, problems).checkKeys(SUTAZAI_KEYS);
    }
    ConfigValue fleetValue = fleetBlock(resolved);
    if (fleetValue == null || fleetValue.valueType() != ConfigValueType.OBJECT) {
      problems.add(where + ": fleet: key 'sutazai.fleet': " + (fleetValue == null ? "missing" : "expected an object, got "
          + SpecReader.describe(fleetValue)) + "; a fleet file holds a block "
          + "sutazai.fleet { name = \"...\", agents { <name> { image, memory, cpus, ... } } }");
      throw new FleetValidationException(where, problems);
    }
    SpecReader fleet = new SpecReader(where, "fleet", "sutazai.fleet.", resolved.getObject("sutazai.fleet"), problems);
    fleet.checkKeys(FLEET_KEYS);
    String name = fleet.name("name");
    AgentReader agentReader = new AgentReader(where, healthDefaults(defaults), securityDefaults(where, defaults, problems),
        problems);

    Map<String, AgentSpec> agents = new LinkedHashMap<>();
    SpecReader agentsBlock = fleet.nested("agents");
    if (agentsBlock == null) {
      if (!fleet.has("agents")) {
        fleet.problem("agents", "missing; a fleet lists its agents (agents {} for a router-only deployment)");
      }
    } else {
      List<Map.Entry<String, ConfigValue>> entries =
          inFileOrder(resolved.getObject("sutazai.fleet.agents"), written(parsed, "agents"));
      for (Map.Entry<String, ConfigValue> e : entries) {
        AgentSpec a = agentReader.read(e.getKey(), e.getValue());
        if (a != null) {
          agents.put(a.name(), InferenceEnv.withDefaults(a, defaults));
        }
      }
    }

    Map<String, PoolSpec> pools = new LinkedHashMap<>();
    PoolSpec defaultPool = poolDefaults("default", defaults);
    if (fleet.nested("pools") != null) {
      for (Map.Entry<String, ConfigValue> e : inFileOrder(resolved.getObject("sutazai.fleet.pools"), written(parsed, "pools"))) {
        PoolSpec p = readPool(where, e.getKey(), e.getValue(), defaultPool, problems);
        if (p != null) {
          pools.put(p.name(), p);
        }
      }
    }
    for (AgentSpec a : agents.values()) {
      pools.computeIfAbsent(a.pool(), n -> poolDefaults(n, defaults));
    }

    checkDependencies(where, resolved, agents, problems);
    if (!problems.isEmpty()) {
      throw new FleetValidationException(where, problems);
    }
    return new FleetSpec(name == null ? "sutazai" : name, source, agents, pools);
  }

  private static void checkDependencies(String where, Config resolved, Map<String, AgentSpec> agents, List<String> problems) {
    Map<String, List<String>> edges = new LinkedHashMap<>();
    for (AgentSpec a : agents.values()) {
      edges.put(a.name(), a.dependsOn());
    }
    for (AgentSpec a : agents.values()) {
      SpecReader r = agentBlock(where, resolved, a.name(), problems);
      for (String dep : a.dependsOn()) {
        if (!agents.containsKey(dep)) {
          r.problem("depends-on", "unknown dependency '" + dep + "' (no agent of that name)"
              + DidYouMean.hint(dep, agents.keySet()));
        }
      }
    }
    for (List<String> cycle : DependencyGraph.of(edges).cycles()) {
      agentBlock(where, resolved, cycle.get(0), problems)
          .problem("depends-on", "dependency cycle: " + String.join(" -> ", cycle));
    }
  }

  private static SpecReader agentBlock(String where, Config resolved, String agent, List<String> problems) {
    ConfigObject obj = (ConfigObject) resolved.getObject("sutazai.fleet.agents").get(agent);
    return new SpecReader(where, "agent '" + agent + "'", "", obj, problems);
  }

  private static PoolSpec readPool(String where, String name, ConfigValue value, PoolSpec dflt, List<String> problems) {
    String scope = "pool '" + name + "'";
    if (!SpecReader.NAME.matcher(name).matches()) {
      problems.add(where + ": " + scope + ": key 'sutazai.fleet.pools." + name + "': invalid pool name: " + SpecReader.nameRule());
      return null;
    }
    if (value.valueType() != ConfigValueType.OBJECT) {
      problems.add(where + ": " + scope + ": key 'sutazai.fleet.pools." + name + "': expected an object "
          + "{ max-active, memory-budget, cpu-budget, min-active, restart-budget }, got " + SpecReader.describe(value));
      return null;
    }
    SpecReader r = new SpecReader(where, scope, "", (ConfigObject) value, problems);
    r.checkKeys(POOL_KEYS);
    Integer maxActive = r.integer("max-active");
    if (maxActive != null && maxActive < 1) {
      r.problem("max-active", "must be at least 1, got " + maxActive);
    }
    Long memoryBudget = r.size("memory-budget", false);
    Double cpuBudget = r.number("cpu-budget", false);
    if (cpuBudget != null && cpuBudget < 0) {
      r.problem("cpu-budget", "must not be negative, got " + cpuBudget);
    }
    Integer minActive = r.integer("min-active");
    int max = maxActive == null ? dflt.maxActive() : maxActive;
    if (minActive != null && (minActive < 0 || minActive > max)) {
      r.problem("min-active", "must be between 0 and max-active (" + max + "), got " + minActive);
    }
    return new PoolSpec(name, max,
        memoryBudget == null ? dflt.memoryBudgetBytes() : memoryBudget,
        cpuBudget == null ? dflt.cpuBudget() : cpuBudget,
        minActive == null ? dflt.minActive() : minActive,
        restartBudget(r.nested("restart-budget")));
  }

  /** A pool's {@code restart-budget { max-restarts, window }}: what it leaves out comes from the global budget. */
  private static PoolSpec.RestartBudgetSpec restartBudget(SpecReader r) {
    if (r == null) {
      return null;
    }
    r.checkKeys(RESTART_BUDGET_KEYS);
    Integer max = r.integer("max-restarts");
    if (max != null && max < 1) {
      r.problem("max-restarts", "must be at least 1, got " + max);
      max = null;
    }
    Duration window = r.duration("window");
    if (window != null && window.isZero()) {
      r.problem("window", "must be more than 0");
      window = null;
    }
    return max == null && window == null ? null : new PoolSpec.RestartBudgetSpec(max, window);
  }

  /** The quota of a pool the file does not declare: {@code sutazai.quota.default-pool}, else 20 agents. */
  static PoolSpec poolDefaults(String name, Config defaults) {
    String p = "sutazai.quota.default-pool.";
    return new PoolSpec(name,
        defaults.hasPath(p + "max-active") ? defaults.getInt(p + "max-active") : 20,
        defaults.hasPath(p + "memory-budget") ? defaults.getBytes(p + "memory-budget") : 0L,
        defaults.hasPath(p + "cpu-budget") ? defaults.getDouble(p + "cpu-budget") : 0.0,
        defaults.hasPath(p + "min-active") ? defaults.getInt(p + "min-active") : 0);
  }

  /** Probe timings when an agent's health block leaves them out: {@code sutazai.supervisor.health}. */
  static HealthSpec healthDefaults(Config defaults) {
    String p = "sutazai.supervisor.health.";
    HealthSpec n = HealthSpec.NONE;
    return new HealthSpec(HealthSpec.Kind.NONE, 0, "/", List.of(),
        defaults.hasPath(p + "interval") ? defaults.getDuration(p + "interval") : n.interval(),
        defaults.hasPath(p + "timeout") ? defaults.getDuration(p + "timeout") : n.timeout(),
        defaults.hasPath(p + "retries") ? defaults.getInt(p + "retries") : n.retries(),
        defaults.hasPath(p + "start-period") ? defaults.getDuration(p + "start-period") : n.startPeriod());
  }

  /** {@code sutazai.supervisor.container-security}, checked as an agent's block is; absent = the product default. */
  static SecuritySpec securityDefaults(String where, Config defaults, List<String> problems) {
    String path = "sutazai.supervisor.container-security";
    if (!defaults.hasPath(path)) {
      return SecuritySpec.DEFAULT;
    }
    ConfigObject block;
    try {
      block = defaults.getObject(path);
    } catch (ConfigException e) {
      problems.add(where + ": configuration: key '" + path + "': expected an object, got " + e.getMessage());
      return SecuritySpec.DEFAULT;
    }
    return AgentReader.security(new SpecReader(where, "configuration", path + ".", block, problems),
        SecuritySpec.DEFAULT);
  }

  private static ConfigValue fleetBlock(Config resolved) {
    try {
      return resolved.hasPath("sutazai.fleet") ? resolved.getValue("sutazai.fleet") : null;
    } catch (ConfigException e) {
      return null;
    }
  }

  /**
   * Entries by the line they are written on, then by name: the order a reader of the file sees. Lines
   * come from the unresolved tree, because an agent built from a template by substitution carries the
   * template's origin once resolved.
   */
  private static List<Map.Entry<String, ConfigValue>> inFileOrder(ConfigObject obj, ConfigObject written) {
    List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(obj.entrySet());
    entries.sort(Comparator.<Map.Entry<String, ConfigValue>>comparingInt(e -> {
      ConfigValue w = written == null ? null : written.get(e.getKey());
      return (w != null ? w : e.getValue()).origin().lineNumber();
    }).thenComparing(Map.Entry::getKey));
    return entries;
  }

  /** {@code sutazai.fleet.<block>} as written in the file, before substitutions; null if not a plain object. */
  private static ConfigObject written(Config parsed, String block) {
    try {
      ConfigValue v = parsed.root();
      for (String k : new String[] {"sutazai", "fleet", block}) {
        if (!(v instanceof ConfigObject o) || !(o.get(k) instanceof ConfigObject)) {
          return null;
        }
        v = o.get(k);
      }
      return (ConfigObject) v;
    } catch (ConfigException e) {
      return null;
    }
  }
}
