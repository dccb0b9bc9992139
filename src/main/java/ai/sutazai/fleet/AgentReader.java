package ai.sutazai.fleet;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads and checks one {@code sutazai.fleet.agents.<name>} block; problems go to the shared list. */
final class AgentReader {
  static final Set<String> HEALTH_KEYS =
      Set.of("kind", "port", "path", "command", "interval", "timeout", "retries", "start-period", "readiness");
  static final Set<String> READINESS_KEYS = Set.of("kind", "port", "path", "command", "interval", "timeout", "retries");
  static final Set<String> RESTART_KEYS = Set.of("min-backoff", "max-backoff", "jitter", "reset-after");
  static final Set<String> CRASH_LOOP_KEYS = Set.of("max-restarts", "window");
  static final Set<String> SECURITY_KEYS = Set.of("cap-drop", "cap-add", "no-new-privileges", "pids-limit", "user",
      "read-only-root-filesystem", "writable-paths");
  static final List<String> ACTIVATIONS = List.of("always", "on-demand");
  static final List<String> KINDS = List.of("http", "tcp", "cmd", "none");

  private final String file;
  private final HealthSpec healthDefaults;
  private final SecuritySpec securityDefaults;
  private final List<String> problems;

  AgentReader(String file, HealthSpec healthDefaults, SecuritySpec securityDefaults, List<String> problems) {
    this.file = file;
    this.healthDefaults = healthDefaults;
    this.securityDefaults = securityDefaults;
    this.problems = problems;
  }

  /** The agent, or null when its name or shape makes it unusable (problems recorded either way). */
  AgentSpec read(String name, ConfigValue value) {
    String scope = "agent '" + name + "'";
    if (!SpecReader.NAME.matcher(name).matches()) {
      problems.add(file + ": " + scope + ": key 'sutazai.fleet.agents." + name + "': invalid agent name: "
          + SpecReader.nameRule() + " (it becomes a container name)");
      return null;
    }
    if (value.valueType() != ConfigValueType.OBJECT) {
      problems.add(file + ": " + scope + ": key 'sutazai.fleet.agents." + name + "': expected an object "
          + "{ image = ..., memory = ..., cpus = ... }, got " + SpecReader.describe(value));
      return null;
    }
    SpecReader r = new SpecReader(file, scope, "", (ConfigObject) value, problems);
    r.checkKeys(FleetLoader.AGENT_KEYS);

    String image = r.string("image", true);
    Long memory = r.size("memory", true);
    if (memory != null && memory == 0) {
      r.problem("memory", "must be more than 0");
    }
    Long memoryLimit = r.size("memory-limit", false);
    if (memory != null && memoryLimit != null && memoryLimit < memory) {
      r.problem("memory-limit", "memory-limit " + Sizes.human(memoryLimit) + " is below the request memory = "
          + Sizes.human(memory) + "; the limit must be at least the request");
    }
    Double cpus = r.number("cpus", true);
    if (cpus != null && cpus <= 0) {
      r.problem("cpus", "must be more than 0, got " + java.math.BigDecimal.valueOf(cpus).stripTrailingZeros().toPlainString());
    }
    Integer priority = r.integer("priority");
    Duration idle = r.duration("idle-timeout");
    if (idle != null && idle.isZero()) {
      r.problem("idle-timeout", "must be more than 0");
    }
    List<String> deps = r.stringList("depends-on");
    if (deps != null) {
      deps = new ArrayList<>(new LinkedHashSet<>(deps));
    }
    AgentSpec.Activation activation = activation(r);
    String pool = r.name("pool");
    Integer port = r.integer("port");
    if (port != null && (port < 1 || port > 65535)) {
      r.problem("port", "port " + port + " is out of range (1-65535)");
    }
    Boolean open = r.bool("public");

    return new AgentSpec(name, image == null ? "" : image, r.stringList("command"), r.stringMap("env"),
        memory == null ? 0 : memory,
        memoryLimit == null ? (memory == null ? 0 : memory) : memoryLimit,
        cpus == null ? 0 : cpus,
        priority == null ? 0 : priority,
        deps, idle, health(r.nested("health")), r.stringList("models"), activation, pool,
        restart(r.nested("restart")), crashLoop(r.nested("crash-loop")),
        port == null || port < 1 || port > 65535 ? 0 : port, open != null && open,
        security(r.nested("security"), securityDefaults));
  }

  /**
   * The agent's {@code security { }} block over the defaults: each key it sets replaces the default's
   * (cap-add adds to nothing, so an agent declares every capability it needs).
   */
  static SecuritySpec security(SpecReader s, SecuritySpec defaults) {
    if (s == null) {
      return defaults;
    }
    s.checkKeys(SECURITY_KEYS);
    List<String> drop = capabilities(s, "cap-drop");
    List<String> add = capabilities(s, "cap-add");
    Boolean noNew = s.bool("no-new-privileges");
    Integer pids = s.integer("pids-limit");
    if (pids != null && pids < 0) {
      s.problem("pids-limit", "must be 0 (no limit) or more, got " + pids);
      pids = null;
    }
    String user = s.has("user") && "".equals(s.rawValue("user")) ? "" : s.string("user", false);
    if (user != null && !user.isEmpty() && !user.matches("[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)?")) {
      s.problem("user", "expected uid[:gid] or a user name such as 1000:1000 or nobody, got '" + user + "'");
      user = null;
    }
    Boolean readOnly = s.bool("read-only-root-filesystem");
    List<String> writable = s.stringList("writable-paths");
    if (writable != null) {
      for (String path : writable) {
        if (!path.startsWith("/") || path.contains(",") || path.contains(":")) {
          s.problem("writable-paths", "expected absolute paths without ',' or ':', got '" + path + "'");
          writable = null;
          break;
        }
      }
    }
    return new SecuritySpec(
        drop == null ? defaults.capDrop() : drop,
        add == null ? defaults.capAdd() : add,
        noNew == null ? defaults.noNewPrivileges() : noNew,
        pids == null ? defaults.pidsLimit() : pids,
        user == null ? defaults.user() : user,
        readOnly == null ? defaults.readOnlyRootFilesystem() : readOnly,
        writable == null ? defaults.writablePaths() : writable);
  }

  private static List<String> capabilities(SpecReader s, String key) {
    List<String> names = s.stringList(key);
    if (names == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (String n : names) {
      String upper = n.toUpperCase(Locale.ROOT);
      String bare = upper.startsWith("CAP_") ? upper.substring(4) : upper;
      if (!SecuritySpec.CAPABILITIES.contains(bare)) {
        s.problem(key, "unknown Linux capability '" + n + "' (e.g. NET_BIND_SERVICE, NET_RAW, ALL)"
            + DidYouMean.hint(bare, List.copyOf(SecuritySpec.CAPABILITIES)));
        return null;
      }
      out.add(bare);
    }
    return out;
  }

  private static AgentSpec.Activation activation(SpecReader r) {
    String a = r.string("activation", false);
    if (a == null) {
      return AgentSpec.Activation.ALWAYS;
    }
    String lower = a.toLowerCase(Locale.ROOT);
    if (!ACTIVATIONS.contains(lower)) {
      r.problem("activation", "unknown activation '" + a + "' (one of: always, on-demand)"
          + DidYouMean.hint(a, ACTIVATIONS));
      return AgentSpec.Activation.ALWAYS;
    }
    return lower.equals("always") ? AgentSpec.Activation.ALWAYS : AgentSpec.Activation.ON_DEMAND;
  }

  private HealthSpec health(SpecReader h) {
    if (h == null) {
      return HealthSpec.NONE;
    }
    h.checkKeys(HEALTH_KEYS);
    HealthSpec probe = probe(h);
    SpecReader r = h.nested("readiness");
    if (r == null) {
      return probe;
    }
    r.checkKeys(READINESS_KEYS);
    HealthSpec readiness = probe(r);
    return new HealthSpec(probe.kind(), probe.port(), probe.path(), probe.command(), probe.interval(), probe.timeout(),
        probe.retries(), probe.startPeriod(), readiness.kind() == HealthSpec.Kind.NONE ? null : readiness);
  }

  /** One probe's keys (the liveness probe, or its readiness probe). */
  private HealthSpec probe(SpecReader h) {
    HealthSpec.Kind kind = HealthSpec.Kind.NONE;
    String k = h.string("kind", false);
    if (k != null) {
      String lower = k.toLowerCase(Locale.ROOT);
      if (KINDS.contains(lower)) {
        kind = HealthSpec.Kind.valueOf(lower.toUpperCase(Locale.ROOT));
      } else {
        h.problem("kind", "unknown probe kind '" + k + "' (one of: http, tcp, cmd, none)" + DidYouMean.hint(k, KINDS));
      }
    }
    Integer port = h.integer("port");
    boolean needsPort = kind == HealthSpec.Kind.HTTP || kind == HealthSpec.Kind.TCP;
    if (needsPort && port == null && !h.has("port")) {
      h.problem("port", "missing: " + kind.name().toLowerCase(Locale.ROOT) + " probes need a host-network port");
    } else if (port != null && (port < 1 || port > 65535) && (needsPort || port != 0)) {
      h.problem("port", "port " + port + " is out of range (1-65535)");
    }
    String path = h.string("path", false);
    if (path != null && !path.startsWith("/")) {
      h.problem("path", "HTTP path must start with '/', got '" + path + "'");
    }
    List<String> command = h.stringList("command");
    if (kind == HealthSpec.Kind.CMD && (command == null || command.isEmpty()) && !h.has("command")) {
      h.problem("command", "missing: cmd probes need a command, e.g. [\"sh\", \"-c\", \"test -f /tmp/ready\"]");
    } else if (kind == HealthSpec.Kind.CMD && command != null && command.isEmpty()) {
      h.problem("command", "must not be empty for cmd probes");
    }
    Duration interval = positive(h, "interval");
    Duration timeout = positive(h, "timeout");
    Integer retries = h.integer("retries");
    if (retries != null && retries < 1) {
      h.problem("retries", "must be at least 1, got " + retries);
    }
    Duration startPeriod = h.duration("start-period");
    return new HealthSpec(kind, port == null ? 0 : port, path, command,
        interval == null ? healthDefaults.interval() : interval,
        timeout == null ? healthDefaults.timeout() : timeout,
        retries == null ? healthDefaults.retries() : retries,
        startPeriod == null ? healthDefaults.startPeriod() : startPeriod);
  }

  private static AgentSpec.RestartSpec restart(SpecReader r) {
    if (r == null) {
      return null;
    }
    r.checkKeys(RESTART_KEYS);
    Duration min = positive(r, "min-backoff");
    Duration max = positive(r, "max-backoff");
    if (min != null && max != null && max.compareTo(min) < 0) {
      r.problem("max-backoff", "max-backoff " + max + " is below min-backoff " + min);
    }
    Double jitter = r.number("jitter", false);
    if (jitter != null && (jitter < 0 || jitter > 1)) {
      r.problem("jitter", "must be between 0.0 and 1.0, got " + jitter);
    }
    return new AgentSpec.RestartSpec(min, max, jitter, positive(r, "reset-after"));
  }

  private static AgentSpec.CrashLoopSpec crashLoop(SpecReader r) {
    if (r == null) {
      return null;
    }
    r.checkKeys(CRASH_LOOP_KEYS);
    Integer max = r.integer("max-restarts");
    if (max != null && max < 1) {
      r.problem("max-restarts", "must be at least 1, got " + max);
    }
    return new AgentSpec.CrashLoopSpec(max, positive(r, "window"));
  }

  private static Duration positive(SpecReader r, String key) {
    Duration d = r.duration(key);
    if (d != null && d.isZero()) {
      r.problem(key, "must be more than 0");
      return null;
    }
    return d;
  }
}
