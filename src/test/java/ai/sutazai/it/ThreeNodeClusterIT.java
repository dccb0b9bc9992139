package ai.sutazai.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three {@code sutazai run} JVMs from the shaded jar, started by {@code cluster/local/start.sh} itself (as a user
 * starts them: each node with its own private Docker engine, one PostgreSQL journal), one after another, with a
 * fleet of small busybox agents probed over HTTP. Every step is checked through a surviving node's management API
 * and through the engines themselves:
 * <ol>
 *   <li>each node that joins gets its share of the agents (the shard rebalance);</li>
 *   <li>{@code kill -9} of the oldest node: the Split Brain Resolver downs it (nobody sends Down), its agents are
 *       HEALTHY on the survivors, each agent runs in exactly one survivor's engine, and an activation
 *       acknowledged just before the kill is carried out;</li>
 *   <li>the killed node started again rejoins, and its engine's containers of agents now placed elsewhere are
 *       removed;</li>
 *   <li>{@code SIGSTOP} of a node past {@code stable-after}, then {@code SIGCONT}: the majority downs it and
 *       re-places its agents, the paused node finds itself downed and removes its containers as it stops; the
 *       window during which agents ran twice, and how many, are measured and printed;</li>
 *   <li>{@code kill -9} of a node that is not the oldest, as in 2.</li>
 * </ol>
 * <p>All engines share this machine's network (host networking), as in {@code cluster/local}: a node killed with
 * {@code kill -9} leaves its containers running in its engine (nobody can remove them until the node is started
 * again), and they keep their ports. So each agent retries binding its port ({@code until httpd ...}) instead of
 * crash-looping on a port its orphan holds, and until the killed node is back its probe may be answered by the
 * orphan; "exactly one running container" is checked across the survivors' engines, and across all engines once
 * the killed node has come back and removed its orphans. On separate machines the ports do not collide.
 *
 * <p>Its own run directory, engines ({@code /var/lib/sutazai-docker-mn-<id>-n<i>}), free loopback ports and database
 * (created with the role {@code sutazai}, dropped at the end); everything is stopped and removed at the end, also
 * on failure. Needs root (dockerd), dockerd and the shared PostgreSQL on 127.0.0.1:5432: fails without them.
 */
class ThreeNodeClusterIT {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int NODES = 3;
  /** Agents that run always (activation = always); plus two on-demand ones activated just before a kill. */
  private static final int ALWAYS = 24;
  private static final List<String> ON_DEMAND = List.of("od-1", "od-2");
  /** The documented failover bound for a small fleet (docs/cluster.md, Node loss). */
  private static final Duration FAILOVER_BOUND = Duration.ofSeconds(45);

  private final String id = "mn" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
  /** The operator token the nodes are given (SUTAZAI_OPERATOR_TOKEN), whatever the environment holds. */
  private final String token = UUID.randomUUID().toString();
  private final Path repo = Path.of(System.getProperty("user.dir"));
  private Path run;
  private String engineBase;
  private String database;
  private final Map<String, Integer> bases = new HashMap<>();
  private List<String> agents;
  private final List<String> report = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    run = Files.createTempDirectory("mn-cluster-it-");
    engineBase = "/var/lib/sutazai-docker-" + id + "-n";
    database = id + "_journal";
    for (String kind : List.of("REMOTE", "MANAGEMENT", "INFERENCE", "AKKA_MANAGEMENT")) {
      bases.put(kind, freeBlock(NODES) - 1);
    }
    int agentPorts = freeBlock(ALWAYS + ON_DEMAND.size());
    agents = new ArrayList<>();
    StringBuilder spec = new StringBuilder("sutazai.fleet {\n  name = \"" + id + "\"\n  pools { default { max-active = 64 } }\n"
        + "  agents {\n");
    for (int i = 0; i < ALWAYS + ON_DEMAND.size(); i++) {
      String name = i < ALWAYS ? String.format("a%02d", i) : ON_DEMAND.get(i - ALWAYS);
      agents.add(name);
      int port = agentPorts + i;
      spec.append("    ").append(name).append(" {\n")
          .append("      image = \"sutazai/busybox:local\"\n")
          .append("      command = [\"sh\", \"-c\", \"until httpd -f -p 127.0.0.1:").append(port)
          .append(" -h /www; do sleep 1; done\"]\n")
          .append("      memory = 16MiB, memory-limit = 32MiB, cpus = 0.02\n")
          .append("      activation = ").append(i < ALWAYS ? "always" : "on-demand").append("\n")
          .append("      health { kind = http, port = ").append(port)
          .append(", path = \"/health\", interval = 2s, timeout = 1s, retries = 3, start-period = 20s }\n")
          .append("    }\n");
    }
    spec.append("  }\n}\n");
    Files.writeString(run.resolve("fleet.conf"), spec.toString());
  }

  @AfterEach
  void tearDown() throws Exception {
    // The nodes' logs outlive the run directory, for a failure's analysis.
    Path kept = repo.resolve("target").resolve("three-node-cluster-it");
    sh(Duration.ofSeconds(30), "rm", "-rf", kept.toString());
    Files.createDirectories(kept);
    for (int i = 1; i <= NODES; i++) {
      Path log = run.resolve("node" + i).resolve("node.log");
      if (Files.isRegularFile(log)) {
        Files.copy(log, kept.resolve("node" + i + ".log"));
      }
    }
    if (Files.isRegularFile(run.resolve("scripts.log"))) {
      Files.copy(run.resolve("scripts.log"), kept.resolve("scripts.log"));
    }
    try {
      script("stop.sh", Duration.ofSeconds(150));
    } catch (Throwable e) {
      System.err.println("stop.sh failed: " + e);
    }
    for (int i = 1; i <= NODES; i++) {
      pid(i).ifPresent(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly));
      Path engine = Path.of(engineBase + i);
      Path pidFile = engine.resolve("docker.pid");
      if (Files.isRegularFile(pidFile)) {
        long p = Long.parseLong(Files.readString(pidFile).trim());
        ProcessHandle.of(p).ifPresent(h -> {
          h.destroy();
          h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(x -> {
            h.destroyForcibly();
            return h;
          }).join();
        });
      }
      // dockerd leaves its network namespace mounted under its exec root.
      List<String> mounts = Files.readAllLines(Path.of("/proc/mounts")).stream().map(l -> l.split(" ")[1])
          .filter(m -> m.startsWith(engine + "/")).sorted(Comparator.reverseOrder()).toList();
      for (String m : mounts) {
        sh(Duration.ofSeconds(30), "umount", "-l", m);
      }
      sh(Duration.ofSeconds(60), "rm", "-rf", engine.toString());
    }
    sh(Duration.ofSeconds(30), "env", "PGPASSWORD=" + ai.sutazai.testsupport.TestDatabase.password(), "psql", "-X", "-q", "-h", "127.0.0.1", "-U", "sutazai", "-d",
        "sutazai", "-c", "drop database if exists " + database + " with (force)");
    sh(Duration.ofSeconds(30), "rm", "-rf", run.toString());
    report.forEach(System.out::println);
  }

  @Test
  void threeNodesSpreadFailOverWithTheSplitBrainResolverAndCleanUpAfterThemselves() throws Exception {
    // 1. Nodes one after another; each one joining gets its share.
    long t = System.nanoTime();
    script("start.sh", Duration.ofSeconds(240), "1");
    awaitPlacement(Set.of(1), 1, Duration.ofSeconds(120));
    script("start.sh", Duration.ofSeconds(180), "2");
    awaitPlacement(Set.of(1, 2), 1, Duration.ofSeconds(120));
    script("start.sh", Duration.ofSeconds(180), "3");
    awaitPlacement(Set.of(1, 2, 3), 1, Duration.ofSeconds(120));
    note("start and spread: nodes 1, 2, 3 one after another, " + ALWAYS + " agents spread "
        + countsByNode(1) + " after " + secondsSince(t) + " s");

    // 2. kill -9 of the oldest node (1), an activation acknowledged just before.
    killAndFailOver(1, 2, ON_DEMAND.get(0), "oldest");

    // 3. The killed node started again: it rejoins, its engine's stale containers are removed.
    t = System.nanoTime();
    script("start.sh", Duration.ofSeconds(180), "1");
    awaitPlacement(Set.of(1, 2, 3), 2, Duration.ofSeconds(120));
    note("node 1 started again: rejoined, stale containers removed from its engine and agents spread "
        + countsByNode(2) + " after " + secondsSince(t) + " s");

    // 4. SIGSTOP of node 3 past stable-after, then SIGCONT.
    pauseAndResume(3, 2);
    script("start.sh", Duration.ofSeconds(180), "3");
    await("node 3 Up again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .until(() -> members(2).contains(address(3)));

    // 5. kill -9 of a node that is not the oldest (node 1; node 2 is the oldest now).
    killAndFailOver(1, 2, ON_DEMAND.get(1), "not the oldest");
  }

  // ---- steps ----

  private void killAndFailOver(int victim, int observer, String activated, String which) throws Exception {
    String victimAddress = address(victim);
    HttpResponse<String> ack = post(observer, "/api/v1/agents/" + activated + "/activate");
    assertEquals(202, ack.statusCode(), ack.body());
    long killedAt = System.nanoTime();
    sh(Duration.ofSeconds(10), "kill", "-9", Long.toString(pid(victim).orElseThrow()));
    Set<Integer> survivors = IntStream.rangeClosed(1, NODES).filter(i -> i != victim && alive(i)).boxed()
        .collect(Collectors.toSet());
    await("the members as node " + observer + " sees them drop node " + victim).atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250)).until(() -> !members(observer).contains(victimAddress));
    double removed = secondsSince(killedAt);
    List<String> wanted = new ArrayList<>(agents.subList(0, ALWAYS));
    wanted.addAll(ON_DEMAND.subList(0, ON_DEMAND.indexOf(activated) + 1));
    // HEALTHY on a survivor by the API, and running there by the engines: an agent recovered on a survivor reports
    // its journalled state as soon as it recovers, a few seconds before its container is started there.
    await("every agent HEALTHY on a survivor after kill -9 of node " + victim).atMost(FAILOVER_BOUND)
        .pollInterval(Duration.ofMillis(250)).until(() -> {
          Map<String, JsonNode> view = agentsOf(observer);
          boolean healthy = wanted.stream().allMatch(a -> view.containsKey(a) && "HEALTHY".equals(view.get(a).path("state").asText())
              && !view.get(a).path("stale").asBoolean() && !victimAddress.equals(view.get(a).path("node").asText()));
          if (!healthy) {
            return false;
          }
          Map<String, Integer> counts = runningCounts(survivors);
          return wanted.stream().allMatch(a -> counts.getOrDefault(a, 0) >= 1);
        });
    double failover = secondsSince(killedAt);
    assertDownedBySbr(victim, survivors);
    Map<String, Integer> running = runningCounts(survivors);
    for (String a : wanted) {
      assertEquals(1, running.getOrDefault(a, 0), a + ": running containers across the survivors' engines " + survivors
          + ": " + running + "; engines 1, 2, 3: " + running(1) + ", " + running(2) + ", " + running(3) + "; API of node "
          + observer + ": " + agentsOf(observer).get(a));
    }
    int stillOnVictim = running(victim).size();
    note(String.format("kill -9 of node %d (%s): downed by the Split Brain Resolver (no longer Up) after %.1f s, "
        + "all %d agents HEALTHY on the survivors after %.1f s (bound %d s), the activation of %s acknowledged just before "
        + "carried out; the killed node's engine still runs %d container(s) until it is started again", victim, which,
        removed, wanted.size(), failover, FAILOVER_BOUND.toSeconds(), activated, stillOnVictim));
  }

  private void pauseAndResume(int victim, int observer) throws Exception {
    String victimAddress = address(victim);
    long pid = pid(victim).orElseThrow();
    Set<String> itsAgents = agentsOf(observer).entrySet().stream()
        .filter(e -> victimAddress.equals(e.getValue().path("node").asText())).map(Map.Entry::getKey)
        .collect(Collectors.toSet());
    assertFalse(itsAgents.isEmpty(), "node " + victim + " runs agents before it is paused");
    Set<Integer> all = Set.of(1, 2, 3);
    long pausedAt = System.nanoTime();
    sh(Duration.ofSeconds(10), "kill", "-STOP", Long.toString(pid));
    long[] firstTwice = {-1};
    int[] mostTwice = {0};
    try {
      await("node " + victim + "'s agents HEALTHY on the others while it is paused").atMost(FAILOVER_BOUND)
          .pollInterval(Duration.ofMillis(250)).until(() -> {
            twice(all, firstTwice, mostTwice);
            Map<String, JsonNode> view = agentsOf(observer);
            Map<String, Integer> others = runningCounts(all.stream().filter(i -> i != victim).collect(Collectors.toSet()));
            return itsAgents.stream().allMatch(a -> "HEALTHY".equals(view.get(a).path("state").asText())
                && !victimAddress.equals(view.get(a).path("node").asText()) && others.getOrDefault(a, 0) >= 1);
          });
      assertFalse(members(observer).contains(victimAddress), "the majority downed and removed the paused node");
      assertDownedBySbr(victim, Set.of(1, 2, 3).stream().filter(i -> i != victim).collect(Collectors.toSet()));
    } finally {
      sh(Duration.ofSeconds(10), "kill", "-CONT", Long.toString(pid));
    }
    long resumedAt = System.nanoTime();
    double replaced = (resumedAt - pausedAt) / 1e9;
    await("the paused node, downed, removes its containers and stops").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100)).until(() -> {
          twice(all, firstTwice, mostTwice);
          return running(victim).isEmpty() && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        });
    long cleanAt = System.nanoTime();
    String log = Files.readString(run.resolve("node" + victim).resolve("node.log"));
    assertTrue(log.contains("this node was downed: removed the fleet's"), "the paused node says it removed its containers");
    Map<String, Integer> running = runningCounts(all);
    for (String a : itsAgents) {
      assertEquals(1, running.getOrDefault(a, 0), a + ": running containers across the engines " + running);
    }
    double window = firstTwice[0] < 0 ? 0 : (cleanAt - firstTwice[0]) / 1e9;
    note(String.format("SIGSTOP of node %d for %.1f s (its %d agents HEALTHY on the others by then), then SIGCONT: it "
        + "found itself downed and removed its containers %.1f s after SIGCONT; agents running twice: at most %d at "
        + "once, for a window of %.1f s (from the first re-placed container to the paused node's removal)", victim,
        replaced, itsAgents.size(), (cleanAt - resumedAt) / 1e9, mostTwice[0], window));
  }

  /** A survivor's log has the Split Brain Resolver's decision to down {@code victim} (its leader decides). */
  private void assertDownedBySbr(int victim, Set<Integer> survivors) throws IOException {
    String victimAddress = address(victim);
    for (int i : survivors) {
      if (Files.readString(run.resolve("node" + i).resolve("node.log")).lines()
          .anyMatch(l -> l.contains("SBR took decision") && l.contains(victimAddress))) {
        return;
      }
    }
    throw new AssertionError("no Split Brain Resolver decision to down node " + victim + " in the logs of nodes " + survivors);
  }

  /** Records when agents first ran in two engines at once, and the most that did. */
  private void twice(Set<Integer> engines, long[] first, int[] most) throws Exception {
    long n = runningCounts(engines).values().stream().filter(c -> c > 1).count();
    if (n > 0 && first[0] < 0) {
      first[0] = System.nanoTime();
    }
    most[0] = Math.max(most[0], (int) n);
  }

  /**
   * Waits until every always-on agent is HEALTHY on one of {@code nodes} per {@code observer}'s API, the
   * numbers of agents (all of them, the idle on-demand ones too: every agent is placed) per node differ by at
   * most one (the rebalance's rule on equal nodes and equal agents), and each always-on agent runs in exactly
   * one engine of the whole cluster (a node's stale containers removed).
   */
  private void awaitPlacement(Set<Integer> nodes, int observer, Duration within) {
    Map<String, Integer> nodeOf = new HashMap<>();
    nodes.forEach(i -> nodeOf.put(address(i), i));
    List<String> always = agents.subList(0, ALWAYS);
    await("agents spread over nodes " + nodes).atMost(within).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      Map<String, JsonNode> view = agentsOf(observer);
      Map<Integer, Integer> perNode = new TreeMap<>();
      for (String a : agents) {
        JsonNode v = view.get(a);
        boolean running = !always.contains(a) || "HEALTHY".equals(v == null ? null : v.path("state").asText());
        assertTrue(v != null && running && nodeOf.containsKey(v.path("node").asText()),
            a + (always.contains(a) ? " HEALTHY" : "") + " on one of " + nodes + ": " + v);
        perNode.merge(nodeOf.get(v.path("node").asText()), 1, Integer::sum);
      }
      assertEquals(nodes.size(), perNode.size(), "every node runs agents: " + perNode);
      int max = perNode.values().stream().max(Comparator.naturalOrder()).orElse(0);
      int min = perNode.values().stream().min(Comparator.naturalOrder()).orElse(0);
      assertTrue(max - min <= 1, "agents per node " + perNode);
      Map<String, Integer> running = runningCounts(Set.of(1, 2, 3));
      for (String a : always) {
        assertEquals(1, running.getOrDefault(a, 0), a + ": running containers across all engines " + running);
      }
    });
  }

  // ---- the nodes, through the scripts and their APIs ----

  private void script(String name, Duration timeout, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", repo.resolve("cluster/local").resolve(name).toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(run.resolve("scripts.log").toFile()));
    Map<String, String> env = pb.environment();
    env.remove("DOCKER_HOST");
    env.put("SUTAZAI_OPERATOR_TOKEN", token);
    env.remove("SUTAZAI_VIEWER_TOKEN");
    env.put("SUTAZAI_LOCAL_NODES", Integer.toString(NODES));
    env.put("SUTAZAI_LOCAL_RUN", run.toString());
    env.put("SUTAZAI_LOCAL_FLEET", run.resolve("fleet.conf").toString());
    env.put("SUTAZAI_LOCAL_JAR", ShadedJarIT.jar().toAbsolutePath().toString());
    env.put("SUTAZAI_LOCAL_DB", database);
    env.put("SUTAZAI_LOCAL_ENGINE_BASE", engineBase);
    bases.forEach((kind, base) -> env.put("SUTAZAI_LOCAL_" + kind + "_BASE", Integer.toString(base)));
    // Moves quickly once a node joins: the coordinator looks every second, agents count as idle 3 s after traffic.
    env.put("SUTAZAI_LOCAL_JAVA_OPTS", "-Dakka.cluster.sharding.rebalance-interval=1s -Dsutazai.quota.busy-window=3s");
    Process p = pb.start();
    if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(name + " " + String.join(" ", args) + " did not finish within " + timeout + "; "
          + tail(run.resolve("scripts.log")));
    }
    assertEquals(0, p.exitValue(), name + " " + String.join(" ", args) + " failed: " + tail(run.resolve("scripts.log")));
  }

  private String address(int node) {
    return "akka://sutazai@127.0.0.1:" + (bases.get("REMOTE") + node);
  }

  private java.util.Optional<Long> pid(int node) {
    try {
      Path f = run.resolve("node" + node).resolve("node.pid");
      return Files.isRegularFile(f) ? java.util.Optional.of(Long.parseLong(Files.readString(f).trim())) : java.util.Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }

  private boolean alive(int node) {
    return pid(node).flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
  }

  private Map<String, JsonNode> agentsOf(int node) throws Exception {
    HttpResponse<String> r = get(node, "/api/v1/agents");
    assertEquals(200, r.statusCode(), r.body());
    Map<String, JsonNode> out = new HashMap<>();
    JSON.readTree(r.body()).forEach(a -> out.put(a.path("name").asText(), a));
    return out;
  }

  /** The members that are Up, as node {@code node}'s Akka Management lists them. */
  private Set<String> members(int node) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + (bases.get("AKKA_MANAGEMENT") + node) + "/cluster/members")).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    Set<String> out = new java.util.HashSet<>();
    JSON.readTree(r.body()).path("members").forEach(m -> {
      if ("Up".equals(m.path("status").asText())) {
        out.add(m.path("node").asText());
      }
    });
    return out;
  }

  private HttpResponse<String> get(int node, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (bases.get("MANAGEMENT") + node) + path))
        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(int node, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (bases.get("MANAGEMENT") + node) + path))
        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  // ---- the engines ----

  /** The agents with a running container in node {@code node}'s engine (one entry per container). */
  private List<String> running(int node) throws Exception {
    Path sock = Path.of(engineBase + node).resolve("docker.sock");
    if (!Files.exists(sock)) {
      return List.of();
    }
    ProcessBuilder pb = new ProcessBuilder("docker", "ps", "--filter", "label=sutazai.managed=true", "--filter",
        "label=sutazai.fleet=" + id, "--filter", "status=running", "--format", "{{.Label \"sutazai.agent\"}}");
    pb.environment().put("DOCKER_HOST", "unix://" + sock);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(20, TimeUnit.SECONDS), "docker ps did not answer");
    assertEquals(0, p.exitValue(), "docker ps on " + sock + ": " + out);
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  private Map<String, Integer> runningCounts(Set<Integer> engines) throws Exception {
    Map<String, Integer> counts = new TreeMap<>();
    for (int i : engines) {
      running(i).forEach(a -> counts.merge(a, 1, Integer::sum));
    }
    return counts;
  }

  private Map<Integer, Integer> countsByNode(int observer) throws Exception {
    Map<String, Integer> nodeOf = new HashMap<>();
    for (int i = 1; i <= NODES; i++) {
      nodeOf.put(address(i), i);
    }
    Map<Integer, Integer> out = new TreeMap<>();
    agentsOf(observer).values().forEach(v -> {
      Integer n = nodeOf.get(v.path("node").asText());
      if (n != null) {
        out.merge(n, 1, Integer::sum);
      }
    });
    return out;
  }

  // ---- helpers ----

  private void note(String line) {
    String l = "three-node cluster: " + line;
    report.add(l);
    System.out.println(l);
  }

  private static double secondsSince(long nanos) {
    return Math.round((System.nanoTime() - nanos) / 1e8) / 10.0;
  }

  private static void sh(Duration timeout, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** The first of {@code n} consecutive loopback ports that are all free now, outside the ephemeral range. */
  private static int freeBlock(int n) throws IOException {
    for (int attempt = 0; attempt < 200; attempt++) {
      // Below Linux's ephemeral range (32768-60999): a port free now can otherwise be taken by an outgoing
      // connection (the nodes', the engines', PostgreSQL clients') before the node that is to listen on it starts.
      int first = ThreadLocalRandom.current().nextInt(20_000, 32_000 - n);
      boolean free = true;
      for (int p = first; p < first + n && free; p++) {
        try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
          s.setReuseAddress(true);
        } catch (IOException busy) {
          free = false;
        }
      }
      if (free) {
        return first;
      }
    }
    throw new IOException("no block of " + n + " free loopback ports");
  }
}
