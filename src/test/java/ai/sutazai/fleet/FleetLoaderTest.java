package ai.sutazai.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.common.UserError;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetLoaderTest {
  @TempDir Path dir;

  private static final String CACHE =
      "cache { image = \"redis:7\", memory = 256MiB, cpus = 0.5 }\n";

  private Path fleet(String agents) throws IOException {
    return fleet(agents, "");
  }

  private Path fleet(String agents, String pools) throws IOException {
    Path f = dir.resolve("bad.conf");
    Files.writeString(f, "sutazai.fleet {\n name = \"t\"\n agents {\n" + agents + "\n }\n" + pools + "\n}\n");
    return f;
  }

  private List<String> problems(Path f) {
    FleetValidationException e = assertThrows(FleetValidationException.class, () -> FleetLoader.load(f, null));
    return e.problems();
  }

  /** Asserts one problem names file, agent and key, and says {@code what}. */
  private static void assertProblem(List<String> problems, Path f, String scope, String key, String what) {
    String prefix = f + ": " + scope + ": key '" + key + "': ";
    assertTrue(problems.stream().anyMatch(p -> p.startsWith(prefix) && p.contains(what)),
        () -> "expected a problem starting '" + prefix + "' containing '" + what + "', got:\n" + String.join("\n", problems));
  }

  @Test
  void defaultsApplyWhenKeysAreLeftOut() throws IOException {
    FleetSpec spec = FleetLoader.load(fleet(CACHE), null);
    AgentSpec a = spec.agents().get("cache");
    assertEquals(256L * Sizes.MIB, a.memoryBytes());
    assertEquals(a.memoryBytes(), a.memoryLimitBytes());
    assertEquals(0, a.priority());
    assertEquals(AgentSpec.Activation.ALWAYS, a.activation());
    assertEquals("default", a.pool());
    assertEquals(HealthSpec.Kind.NONE, a.health().kind());
    assertTrue(spec.pools().containsKey("default"), "the implicit pool exists");
    assertEquals("t", spec.name());
  }

  @Test
  void readsEveryField() throws IOException {
    Path f = fleet(CACHE + """
        coder {
          image = "ghcr.io/x/coder:1", command = ["sh", "-c", "run"], env { MODE = "fast", N = 3 }
          memory = 1.5GiB, memory-limit = 2GiB, cpus = 0.75, priority = 7, depends-on = ["cache"]
          idle-timeout = 10m, models = ["llama3.2:1b"], activation = on-demand, pool = "workers"
          health { kind = http, port = 8101, path = "/health", interval = 2s, timeout = 1s, retries = 4, start-period = 30s }
          restart { min-backoff = 1s, max-backoff = 30s, jitter = 0.1, reset-after = 2m }
          crash-loop { max-restarts = 3, window = 1m }
        }
        """, "pools { workers { max-active = 5, memory-budget = 8GiB, cpu-budget = 4, min-active = 1 } }");
    FleetSpec spec = FleetLoader.load(f, null);
    AgentSpec a = spec.agents().get("coder");
    assertEquals(List.of("sh", "-c", "run"), a.command());
    assertEquals("3", a.env().get("N"));
    assertEquals(1536L * Sizes.MIB, a.memoryBytes());
    assertEquals(2L * Sizes.GIB, a.memoryLimitBytes());
    assertEquals(0.75, a.cpus());
    assertEquals(7, a.priority());
    assertEquals(List.of("cache"), a.dependsOn());
    assertEquals(Duration.ofMinutes(10), a.idleTimeout());
    assertEquals(AgentSpec.Activation.ON_DEMAND, a.activation());
    assertEquals(new HealthSpec(HealthSpec.Kind.HTTP, 8101, "/health", List.of(), Duration.ofSeconds(2),
        Duration.ofSeconds(1), 4, Duration.ofSeconds(30)), a.health());
    assertEquals(new AgentSpec.RestartSpec(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.1, Duration.ofMinutes(2)), a.restart());
    assertEquals(new AgentSpec.CrashLoopSpec(3, Duration.ofMinutes(1)), a.crashLoop());
    assertEquals(new PoolSpec("workers", 5, 8L * Sizes.GIB, 4.0, 1), spec.pools().get("workers"));
    assertEquals(List.of("cache", "coder"), List.copyOf(spec.agents().keySet()), "file order");
  }

  @Test
  void aReadinessProbeIsReadBesideTheLivenessProbeAndCheckedLikeIt() throws IOException {
    Path ok = fleet("a { image = x, memory = 1GiB, cpus = 1, health { kind = http, port = 8101, retries = 4,\n"
        + "  readiness { kind = cmd, command = [\"test\", \"-f\", \"/tmp/ready\"], interval = 2s, retries = 2 } } }\n"
        + "b { image = x, memory = 1GiB, cpus = 1, health { kind = tcp, port = 8102 } }");
    FleetSpec spec = FleetLoader.load(ok, null);
    HealthSpec h = spec.agents().get("a").health();
    assertEquals(HealthSpec.Kind.HTTP, h.kind());
    assertEquals(4, h.retries());
    HealthSpec r = h.readiness();
    assertEquals(HealthSpec.Kind.CMD, r.kind());
    assertEquals(List.of("test", "-f", "/tmp/ready"), r.command());
    assertEquals(Duration.ofSeconds(2), r.interval());
    assertEquals(2, r.retries());
    assertNull(spec.agents().get("b").health().readiness(), "no readiness block: ready whenever alive");

    Path bad = fleet("a { image = x, memory = 1GiB, cpus = 1, health { kind = http, port = 8101,\n"
        + "  readiness { kind = http, start-period = 5s, retries = 0 } } }");
    List<String> problems = problems(bad);
    assertProblem(problems, bad, "agent 'a'", "health.readiness.port", "missing");
    assertProblem(problems, bad, "agent 'a'", "health.readiness.start-period", "unknown key");
    assertProblem(problems, bad, "agent 'a'", "health.readiness.retries", "at least 1");
  }

  @Test
  void missingImage() throws IOException {
    Path f = fleet("a { memory = 1GiB, cpus = 1 }");
    assertProblem(problems(f), f, "agent 'a'", "image", "missing");
  }

  @Test
  void unknownDependencyWithSuggestion() throws IOException {
    Path f = fleet(CACHE + "a { image = x, memory = 1GiB, cpus = 1, depends-on = [cahce] }");
    assertProblem(problems(f), f, "agent 'a'", "depends-on", "unknown dependency 'cahce'");
    assertProblem(problems(f), f, "agent 'a'", "depends-on", "did you mean 'cache'?");
  }

  @Test
  void dependencyCycleShowsItsPath() throws IOException {
    Path f = fleet("""
        a { image = x, memory = 1GiB, cpus = 1, depends-on = [b] }
        b { image = x, memory = 1GiB, cpus = 1, depends-on = [c] }
        c { image = x, memory = 1GiB, cpus = 1, depends-on = [a] }
        d { image = x, memory = 1GiB, cpus = 1, depends-on = [d] }
        """);
    List<String> p = problems(f);
    assertProblem(p, f, "agent 'a'", "depends-on", "dependency cycle: a -> b -> c -> a");
    assertProblem(p, f, "agent 'd'", "depends-on", "dependency cycle: d -> d");
    assertEquals(2, p.size(), String.join("\n", p));
  }

  @Test
  void negativeAndUnparseableSizes() throws IOException {
    Path f = fleet("""
        a { image = x, memory = -1GiB, cpus = 1 }
        b { image = x, memory = lots, cpus = 1 }
        c { image = x, memory = 1GiB, memory-limit = 12 parsecs, cpus = 1 }
        """, "pools { default { memory-budget = -4GiB } }");
    List<String> p = problems(f);
    assertProblem(p, f, "agent 'a'", "memory", "negative");
    assertProblem(p, f, "agent 'b'", "memory", "cannot parse size 'lots'");
    assertProblem(p, f, "agent 'c'", "memory-limit", "cannot parse size '12 parsecs'");
    assertProblem(p, f, "pool 'default'", "memory-budget", "negative");
  }

  @Test
  void aPoolsRestartBudgetOverridesTheGlobalOneKeyByKey() throws IOException {
    FleetSpec spec = FleetLoader.load(fleet(CACHE + "w { image = x, memory = 1GiB, cpus = 1, pool = workers }",
        "pools { default { restart-budget { max-restarts = 3, window = 10s } }, workers { restart-budget { window = 2m } } }"),
        null);
    assertEquals(new PoolSpec.RestartBudgetSpec(3, java.time.Duration.ofSeconds(10)), spec.pools().get("default").restartBudget());
    assertEquals(new PoolSpec.RestartBudgetSpec(null, java.time.Duration.ofMinutes(2)), spec.pools().get("workers").restartBudget());
    ai.sutazai.supervisor.settings.SupervisorSettings global =
        ai.sutazai.supervisor.settings.SupervisorSettings.fromConfig(ai.sutazai.common.Settings.load(null,
            com.typesafe.config.ConfigFactory.parseString("sutazai.supervisor.pool-restart-budget { max-restarts = 7, window = 30s }")));
    assertEquals(3, global.poolRestartBudgetFor(spec.pools().get("default")));
    assertEquals(java.time.Duration.ofSeconds(10), global.poolRestartWindowFor(spec.pools().get("default")));
    // Left out: the global value.
    assertEquals(7, global.poolRestartBudgetFor(spec.pools().get("workers")));
    assertEquals(java.time.Duration.ofMinutes(2), global.poolRestartWindowFor(spec.pools().get("workers")));
    PoolSpec undeclared = FleetLoader.load(fleet(CACHE), null).pools().get("default");
    assertEquals(null, undeclared.restartBudget());
    assertEquals(7, global.poolRestartBudgetFor(undeclared));
    assertEquals(java.time.Duration.ofSeconds(30), global.poolRestartWindowFor(undeclared));
  }

  @Test
  void aBadRestartBudgetNamesFileAndKey() throws IOException {
    Path f = fleet(CACHE + "w { image = x, memory = 1GiB, cpus = 1, pool = workers }\n"
        + "v { image = x, memory = 1GiB, cpus = 1, pool = other }",
        "pools { default { restart-budget { max-restarts = 0, window = 0s } }, workers { restart-budget { max-restart = 3, window = soon } }, "
            + "other { restart-budget = 5 } }");
    List<String> p = problems(f);
    assertProblem(p, f, "pool 'default'", "restart-budget.max-restarts", "must be at least 1, got 0");
    assertProblem(p, f, "pool 'default'", "restart-budget.window", "must be more than 0");
    assertProblem(p, f, "pool 'workers'", "restart-budget.max-restart", "did you mean 'max-restarts'?");
    assertProblem(p, f, "pool 'workers'", "restart-budget.window", "cannot parse duration 'soon'");
    assertProblem(p, f, "pool 'other'", "restart-budget", "expected an object");
  }

  @Test
  void memoryLimitBelowRequest() throws IOException {
    Path f = fleet("a { image = x, memory = 1GiB, memory-limit = 512MiB, cpus = 1 }");
    assertProblem(problems(f), f, "agent 'a'", "memory-limit", "below the request");
  }

  @Test
  void cpusMustBePositive() throws IOException {
    Path f = fleet("a { image = x, memory = 1GiB, cpus = 0 }\nb { image = x, memory = 1GiB, cpus = -0.5 }");
    List<String> p = problems(f);
    assertProblem(p, f, "agent 'a'", "cpus", "must be more than 0");
    assertProblem(p, f, "agent 'b'", "cpus", "must be more than 0");
  }

  @Test
  void healthPortAndCommand() throws IOException {
    Path f = fleet("""
        a { image = x, memory = 1GiB, cpus = 1, health { kind = http, port = 70000 } }
        b { image = x, memory = 1GiB, cpus = 1, health { kind = tcp } }
        c { image = x, memory = 1GiB, cpus = 1, health { kind = cmd } }
        d { image = x, memory = 1GiB, cpus = 1, health { kind = htp, port = 80 } }
        """);
    List<String> p = problems(f);
    assertProblem(p, f, "agent 'a'", "health.port", "out of range");
    assertProblem(p, f, "agent 'b'", "health.port", "missing");
    assertProblem(p, f, "agent 'c'", "health.command", "missing");
    assertProblem(p, f, "agent 'd'", "health.kind", "did you mean 'http'?");
  }

  @Test
  void unknownKeysAtEveryLevelWithSuggestions() throws IOException {
    Path f = dir.resolve("keys.conf");
    Files.writeString(f, """
        sutazai.fleet {
          name = "t"
          agnets { }
          agents {
            a {
              image = x, memroy = 1GiB, memory = 1GiB, cpus = 1
              health { kind = none, intreval = 2s }
              restart { min-backof = 1s }
              crash-loop { max-restart = 3 }
            }
          }
          pools { default { max-actve = 3 } }
        }
        """);
    List<String> p = problems(f);
    assertProblem(p, f, "fleet", "sutazai.fleet.agnets", "unknown key; did you mean 'agents'?");
    assertProblem(p, f, "agent 'a'", "memroy", "unknown key; did you mean 'memory'?");
    assertProblem(p, f, "agent 'a'", "health.intreval", "did you mean 'interval'?");
    assertProblem(p, f, "agent 'a'", "restart.min-backof", "did you mean 'min-backoff'?");
    assertProblem(p, f, "agent 'a'", "crash-loop.max-restart", "did you mean 'max-restarts'?");
    assertProblem(p, f, "pool 'default'", "max-actve", "did you mean 'max-active'?");
    assertEquals(6, p.size(), String.join("\n", p));
  }

  @Test
  void wrongTypes() throws IOException {
    Path f = fleet(CACHE + """
        a { image = x, memory = 1GiB, cpus = many, priority = 1.5, depends-on = "cache", health = 5 }
        b { image = [x], memory = 1GiB, cpus = 1, env = ["A=1"], idle-timeout = soon, activation = sometimes }
        """);
    List<String> p = problems(f);
    assertProblem(p, f, "agent 'a'", "cpus", "expected a number, got string \"many\"");
    assertProblem(p, f, "agent 'a'", "priority", "expected a whole number");
    assertProblem(p, f, "agent 'a'", "depends-on", "expected a list of strings");
    assertProblem(p, f, "agent 'a'", "health", "expected an object");
    assertProblem(p, f, "agent 'b'", "image", "expected a string, got list");
    assertProblem(p, f, "agent 'b'", "env", "expected an object");
    assertProblem(p, f, "agent 'b'", "idle-timeout", "cannot parse duration 'soon'");
    assertProblem(p, f, "agent 'b'", "activation", "one of: always, on-demand");
  }

  @Test
  void namesMustBeDnsLabels() throws IOException {
    Path f = fleet("Bad_Name { image = x, memory = 1GiB, cpus = 1, pool = \"Big Pool\" }\n"
        + "ok { image = x, memory = 1GiB, cpus = 1, pool = \"Big Pool\" }");
    List<String> p = problems(f);
    assertProblem(p, f, "agent 'Bad_Name'", "sutazai.fleet.agents.Bad_Name", "invalid agent name");
    assertProblem(p, f, "agent 'ok'", "pool", "not a valid name");
  }

  @Test
  void collectsAllProblemsInOneExceptionThatExitsWithTwo() throws IOException {
    Path f = fleet("a { memory = -1GiB, cpus = 0 }");
    FleetValidationException e = assertThrows(FleetValidationException.class, () -> FleetLoader.load(f, null));
    assertEquals(3, e.problems().size(), e.getMessage());
    assertTrue(e instanceof UserError);
    assertEquals(2, e.exitCode());
    for (String p : e.problems()) {
      assertTrue(e.getMessage().contains(p));
    }
    assertTrue(e.getMessage().contains("(line 4)"), e.getMessage());
  }

  @Test
  void missingFileAndMissingBlockAndParseErrors() throws IOException {
    Path none = dir.resolve("none.conf");
    assertTrue(assertThrows(FleetValidationException.class, () -> FleetLoader.load(none, null))
        .getMessage().contains(none + ": no such file"));
    Path empty = dir.resolve("empty.conf");
    Files.writeString(empty, "sutazai { flet { } }\n");
    List<String> p = problems(empty);
    assertProblem(p, empty, "fleet", "sutazai.flet", "did you mean 'fleet'?");
    assertProblem(p, empty, "fleet", "sutazai.fleet", "missing");
    Path notObject = dir.resolve("five.conf");
    Files.writeString(notObject, "sutazai.fleet = 5\n");
    assertProblem(problems(notObject), notObject, "fleet", "sutazai.fleet", "expected an object, got number 5");
    Path broken = dir.resolve("broken.conf");
    Files.writeString(broken, "sutazai.fleet { agents { a { image = \n");
    assertTrue(problems(broken).get(0).startsWith(broken + ": cannot parse"));
  }

  @Test
  void templatesBySubstitutionAndDefaultsFromConfig() throws IOException {
    Path f = dir.resolve("t.conf");
    Files.writeString(f, """
        templates { probe { kind = http, path = "/health", timeout = 9s } }
        sutazai.fleet.agents {
          b { image = x, memory = 1GiB, cpus = 1, health = ${templates.probe} { port = 9001 } }
          a { image = x, memory = 1GiB, cpus = 1, health = ${templates.probe} { port = 9002 } }
        }
        """);
    FleetSpec spec = FleetLoader.load(f, ConfigFactory.parseString(
        "sutazai.supervisor.health.retries = 7\nsutazai.quota.default-pool.max-active = 9"));
    assertEquals(List.of("b", "a"), List.copyOf(spec.agents().keySet()), "file order survives substitution");
    HealthSpec h = spec.agents().get("a").health();
    assertEquals(9002, h.port());
    assertEquals(Duration.ofSeconds(9), h.timeout());
    assertEquals(7, h.retries());
    assertEquals(9, spec.pools().get("default").maxActive());
  }

  @Test
  void agentsAreFencedByDefaultAndMayDeclareWhatTheyNeed() throws IOException {
    Path f = fleet(CACHE + "web { image = \"x\", memory = 1MiB, cpus = 0.1, security { cap-add = [\"cap_net_bind_service\"],"
        + " pids-limit = 100, user = \"1000:1000\", read-only-root-filesystem = on, writable-paths = [\"/tmp\"] } }\n");
    com.typesafe.config.Config conf = ai.sutazai.common.Settings.load(null);
    FleetSpec spec = FleetLoader.load(f, conf);
    assertEquals(SecuritySpec.DEFAULT, spec.agents().get("cache").security(), "the defaults of sutazai-reference.conf");
    SecuritySpec web = spec.agents().get("web").security();
    assertEquals(List.of("ALL"), web.capDrop());
    assertEquals(List.of("NET_BIND_SERVICE"), web.capAdd());
    assertTrue(web.noNewPrivileges());
    assertEquals(100, web.pidsLimit());
    assertEquals("1000:1000", web.user());
    assertTrue(web.readOnlyRootFilesystem());
    assertEquals(List.of("/tmp"), web.writablePaths());
  }

  @Test
  void badSecuritySettingsAreNamed() throws IOException {
    Path f = fleet("web { image = \"x\", memory = 1MiB, cpus = 0.1, security { cap-add = [NET_RAWW], pids-limit = -1,"
        + " user = \"a b\", writable-paths = [tmp], caps = [] } }\n");
    List<String> problems = problems(f);
    assertProblem(problems, f, "agent 'web'", "security.cap-add", "unknown Linux capability 'NET_RAWW'");
    assertProblem(problems, f, "agent 'web'", "security.pids-limit", "must be 0 (no limit) or more");
    assertProblem(problems, f, "agent 'web'", "security.user", "expected uid[:gid]");
    assertProblem(problems, f, "agent 'web'", "security.writable-paths", "expected absolute paths");
    assertProblem(problems, f, "agent 'web'", "security.caps", "");
  }
}
