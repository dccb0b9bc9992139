package ai.sutazai.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.common.Settings;
import ai.sutazai.fleet.FleetLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * cluster/docker-compose.yml, cluster/k8s/*.yaml, cluster/Dockerfile and cluster/local/start.sh parse,
 * and every port, SUTAZAI_* variable and config key they name exists in conf/ (or in a library's
 * reference.conf), so a renamed setting cannot silently break a deployment.
 */
class DeploymentAssetsTest {
  private static final Path CLUSTER = Path.of("cluster");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /**
   * Settings of rooms built on other branches (management API, inference router, baselines) that the
   * assets already use; while those rooms are not merged, their keys are missing from conf/. Each entry
   * names the key (or variable) and its default in that room. Remove entries once conf/ has them.
   */
  private static final Map<String, Object> PENDING_KEYS = Map.of();
  private static final Set<String> PENDING_ENV = Set.of();

  /**
   * conf/ (plus {@code extra}) over reference.conf as shipped: environment variables are not applied, since
   * the test run itself sets ports to 0 through them.
   */
  private static Config defaults(Path extra) {
    Config c = ai.sutazai.common.Settings.applicationConf();
    if (extra != null) {
      c = ConfigFactory.parseFile(extra.toFile()).withFallback(c);
    }
    return c.withFallback(Settings.defaults())
        .resolve(com.typesafe.config.ConfigResolveOptions.defaults().setUseSystemEnvironment(false));
  }

  /** Port name → (config key, environment variable overriding it). */
  private static final Map<String, String[]> PORTS = Map.of(
      "remoting", new String[] {"akka.remote.artery.canonical.port", "SUTAZAI_REMOTE_PORT"},
      "akka-mgmt", new String[] {"akka.management.http.port", "SUTAZAI_AKKA_MANAGEMENT_PORT"},
      "api", new String[] {"sutazai.management.port", "SUTAZAI_MANAGEMENT_PORT"},
      "inference", new String[] {"sutazai.inference.port", "SUTAZAI_INFERENCE_PORT"});

  @Test
  void composeNamesOnlyExistingVariablesPortsAndFiles() throws IOException {
    JsonNode compose = YAML.readTree(CLUSTER.resolve("docker-compose.yml").toFile());
    JsonNode services = compose.get("services");
    for (String s : List.of("postgres", "ollama", "node1", "node2", "node3")) {
      assertTrue(services.has(s), "service " + s + " missing");
    }
    Set<Integer> remotePorts = new HashSet<>();
    Set<Integer> mgmt = new HashSet<>();
    Set<Integer> inference = new HashSet<>();
    Set<Integer> akkaMgmt = new HashSet<>();
    List<String> seeds = new ArrayList<>();
    for (Map.Entry<String, JsonNode> service : services.properties()) {
      JsonNode svc = service.getValue();
      assertEquals("host", svc.path("network_mode").asText(), service.getKey() + ": host network only, no Docker networks");
      for (JsonNode volume : svc.path("volumes")) {
        String source = volume.asText().split(":")[0];
        if (source.startsWith(".")) {
          assertTrue(Files.exists(CLUSTER.resolve(source)), service.getKey() + ": volume source " + source + " missing");
        }
      }
      if (!service.getKey().startsWith("node")) {
        continue;
      }
      Map<String, String> env = new HashMap<>();
      svc.get("environment").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
      env.keySet().stream().filter(k -> k.startsWith("SUTAZAI_") || k.equals("DOCKER_HOST"))
          .forEach(k -> assertReadInConf(k, "docker-compose.yml " + service.getKey()));
      remotePorts.add(Integer.parseInt(env.get("SUTAZAI_REMOTE_PORT")));
      mgmt.add(Integer.parseInt(env.get("SUTAZAI_MANAGEMENT_PORT")));
      inference.add(Integer.parseInt(env.get("SUTAZAI_INFERENCE_PORT")));
      String akka = env.get("SUTAZAI_AKKA_MANAGEMENT_PORT");
      akkaMgmt.add(Integer.parseInt(akka));
      assertTrue(svc.path("healthcheck").path("test").toString().contains("/dev/tcp/127.0.0.1/" + akka + " "),
          service.getKey() + ": the health check must ask this node's Akka Management port " + akka);
      ClusterNode.seedNodes("sutazai", ConfigFactory.parseMap(Map.of(ClusterNode.SEED_NODES_KEY, env.get("SUTAZAI_SEED_NODES"))))
          .forEach(a -> seeds.add(a.host().get() + ":" + a.port().get()));
      List<String> args = new ArrayList<>();
      svc.get("command").forEach(a -> args.add(a.asText()));
      Path config = mounted(svc, args.get(args.indexOf("--config") + 1));
      assertKeysExist(ConfigFactory.parseFile(config.toFile()), config.toString());
      Path fleet = mounted(svc, args.get(args.indexOf("--fleet") + 1));
      FleetLoader.load(fleet, defaults(null)); // a valid fleet spec
    }
    assertEquals(Set.of(2551, 2552, 2553), remotePorts);
    assertEquals(Set.of(8081, 8082, 8083), mgmt);
    assertEquals(Set.of(11401, 11402, 11403), inference);
    assertEquals(Set.of(8558, 8559, 8560), akkaMgmt);
    for (String seed : seeds) {
      assertTrue(seed.startsWith("127.0.0.1:") && remotePorts.contains(Integer.parseInt(seed.substring(10))),
          "seed node " + seed + " is not a node's remoting port");
    }
  }

  @Test
  void kubernetesManifestsAreConsistentWithEachOtherAndWithConf() throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (Stream<Path> files = Files.list(CLUSTER.resolve("k8s"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        try (var values = YAML.readerFor(JsonNode.class).<JsonNode>readValues(f.toFile())) {
          values.readAll().stream().filter(d -> d != null && !d.isEmpty()).forEach(docs::add);
        }
      }
    }
    Map<String, JsonNode> byKind = new HashMap<>();
    List<JsonNode> services = new ArrayList<>();
    for (JsonNode d : docs) {
      assertFalse(d.path("apiVersion").asText().isEmpty(), "a manifest without apiVersion: " + d);
      if (d.path("kind").asText().equals("Service")) {
        services.add(d);
      } else {
        byKind.put(d.path("kind").asText(), d);
      }
    }
    JsonNode deployment = byKind.get("Deployment");
    JsonNode pod = deployment.at("/spec/template");
    JsonNode labels = pod.at("/metadata/labels");
    JsonNode container = pod.at("/spec/containers/0");

    List<String> args = new ArrayList<>();
    container.get("args").forEach(a -> args.add(a.asText()));
    Path configFile = Path.of(args.get(args.indexOf("--config") + 1));
    assertTrue(Files.isRegularFile(configFile), configFile + " (selected by --config) missing");
    assertKeysExist(ConfigFactory.parseFile(configFile.toFile()), configFile.toString());
    Config k8s = withPending(defaults(configFile));
    assertTrue(k8s.getBoolean(ClusterNode.BOOTSTRAP_KEY), "Kubernetes nodes join by cluster bootstrap");
    String discovery = "akka.management.cluster.bootstrap.contact-point-discovery.";
    assertEquals("kubernetes-api", k8s.getString(discovery + "discovery-method"));

    Map<String, String> env = new HashMap<>();
    for (JsonNode e : container.get("env")) {
      String name = e.get("name").asText();
      if (name.startsWith("SUTAZAI_") || name.equals("DOCKER_HOST")) {
        assertReadInConf(name, "deployment.yaml");
      }
      JsonNode secret = e.at("/valueFrom/secretKeyRef");
      if (!secret.isMissingNode()) {
        assertEquals("sutazai-postgres", secret.get("name").asText(), name);
        assertTrue(Set.of("url", "user", "password").contains(secret.get("key").asText()), name);
      }
      env.put(name, e.path("value").asText(null));
    }
    Map<String, Integer> containerPorts = new HashMap<>();
    container.get("ports").forEach(p -> containerPorts.put(p.get("name").asText(), p.get("containerPort").asInt()));
    assertEquals(PORTS.keySet(), containerPorts.keySet());
    PORTS.forEach((name, keyAndEnv) -> {
      String override = env.get(keyAndEnv[1]);
      int expected = override != null ? Integer.parseInt(override) : k8s.getInt(keyAndEnv[0]);
      assertEquals(expected, containerPorts.get(name), "container port " + name + " vs " + keyAndEnv[0]);
    });
    assertTrue(containerPorts.containsKey(k8s.getString(discovery + "port-name")), "bootstrap port-name");
    String selector = String.format(k8s.getString("akka.discovery.kubernetes-api.pod-label-selector"),
        k8s.getString(discovery + "service-name"));
    assertEquals(labels.path(selector.split("=")[0]).asText(), selector.split("=")[1], "discovery must select the pods");
    for (String probe : List.of("livenessProbe", "readinessProbe")) {
      JsonNode get = container.at("/" + probe + "/httpGet");
      assertTrue(containerPorts.containsKey(get.get("port").asText()), probe);
      assertEquals(probe.startsWith("live") ? "/alive" : "/ready", get.get("path").asText());
    }

    assertEquals(Set.of("api", "inference", "akka-mgmt"), services.stream()
        .map(s -> s.at("/spec/ports/0/targetPort").asText()).collect(java.util.stream.Collectors.toSet()));
    for (JsonNode s : services) {
      s.at("/spec/selector").properties().forEach(e -> assertEquals(labels.path(e.getKey()).asText(), e.getValue().asText(),
          s.at("/metadata/name") + " selects no pod"));
      assertTrue(containerPorts.containsKey(s.at("/spec/ports/0/targetPort").asText()));
    }
    String account = pod.at("/spec/serviceAccountName").asText();
    assertEquals(account, byKind.get("ServiceAccount").at("/metadata/name").asText());
    JsonNode binding = byKind.get("RoleBinding");
    assertEquals(account, binding.at("/subjects/0/name").asText());
    assertEquals(byKind.get("Role").at("/metadata/name").asText(), binding.at("/roleRef/name").asText());
    JsonNode rule = byKind.get("Role").at("/rules/0");
    assertEquals("pods", rule.at("/resources/0").asText());
    Set<String> verbs = new HashSet<>();
    rule.get("verbs").forEach(v -> verbs.add(v.asText()));
    assertTrue(verbs.containsAll(Set.of("get", "watch", "list")), "discovery lists and watches pods");
  }

  @Test
  void dockerfileExposesTheDefaultPortsAndLocalScriptsOverrideExistingKeys() throws IOException {
    Config conf = withPending(defaults(null));
    String dockerfile = Files.readString(CLUSTER.resolve("Dockerfile"));
    Matcher expose = Pattern.compile("(?m)^EXPOSE (.*)$").matcher(dockerfile);
    assertTrue(expose.find());
    Set<Integer> exposed = new HashSet<>();
    for (String p : expose.group(1).trim().split("\\s+")) {
      exposed.add(Integer.parseInt(p));
    }
    Set<Integer> defaults = new HashSet<>();
    PORTS.values().forEach(k -> defaults.add(conf.getInt(k[0])));
    assertEquals(defaults, exposed);
    assertTrue(dockerfile.contains("COPY conf/ ") && Files.isDirectory(Path.of("conf")));

    String start = Files.readString(CLUSTER.resolve("local/start.sh"));
    Matcher d = Pattern.compile("-D([a-z][a-zA-Z0-9.-]+)=").matcher(start);
    int overrides = 0;
    while (d.find()) {
      assertTrue(conf.hasPath(d.group(1)), "cluster/local/start.sh sets -D" + d.group(1) + ", which is not in conf");
      overrides++;
    }
    assertTrue(overrides > 0);
    Matcher e = Pattern.compile("\\b(SUTAZAI_[A-Z_]+)=").matcher(start);
    while (e.find()) {
      if (!e.group(1).startsWith("SUTAZAI_LOCAL_") && !readByDevScripts(e.group(1))) {
        assertReadInConf(e.group(1), "cluster/local/start.sh");
      }
    }
    FleetLoader.load(CLUSTER.resolve("local/fleet.conf"), conf);
  }

  /** A Deployment that would run: host network, the fleet from a ConfigMap, workers, the shared schema set-up. */
  @Test
  void kubernetesPodsReachTheirAgentsLoadTheFleetFromAConfigMapAndHaveWorkers() throws IOException {
    Map<String, JsonNode> byKind = k8sByKind();
    JsonNode podSpec = byKind.get("Deployment").at("/spec/template/spec");
    assertTrue(podSpec.path("hostNetwork").asBoolean(false),
        "the supervisor probes agents on 127.0.0.1 of the node's engine: the pods need hostNetwork");
    assertEquals("ClusterFirstWithHostNet", podSpec.path("dnsPolicy").asText(),
        "with hostNetwork, Services (the Ollama Service) resolve only with dnsPolicy ClusterFirstWithHostNet");
    JsonNode container = podSpec.at("/containers/0");
    List<String> args = new ArrayList<>();
    container.get("args").forEach(a -> args.add(a.asText()));
    assertTrue(args.contains("--fleet"), "without --fleet a pod falls back to the demo fleet");
    Path fleetPath = Path.of(args.get(args.indexOf("--fleet") + 1));
    String volume = null;
    for (JsonNode m : container.get("volumeMounts")) {
      if (fleetPath.getParent().equals(Path.of(m.get("mountPath").asText()))) {
        volume = m.get("name").asText();
      }
    }
    assertTrue(volume != null, "the fleet file " + fleetPath + " is not in a mounted volume");
    String configMap = null;
    for (JsonNode v : podSpec.get("volumes")) {
      if (v.get("name").asText().equals(volume)) {
        configMap = v.at("/configMap/name").asText(null);
      }
    }
    assertTrue(configMap != null, "the fleet's volume " + volume + " is not a ConfigMap");
    JsonNode map = byKind.get("ConfigMap");
    assertTrue(map != null && map.at("/metadata/name").asText().equals(configMap), "ConfigMap " + configMap + " missing");
    String text = map.at("/data").path(fleetPath.getFileName().toString()).asText(null);
    assertTrue(text != null, "ConfigMap " + configMap + " has no key " + fleetPath.getFileName());
    Path fleet = Files.createTempFile("k8s-fleet", ".conf");
    try {
      Files.writeString(fleet, text);
      assertFalse(FleetLoader.load(fleet, loaded()).agents().isEmpty(), "the ConfigMap's fleet has agents");
    } finally {
      Files.delete(fleet);
    }
    Path configFile = Path.of(args.get(args.indexOf("--config") + 1));
    assertFalse(Settings.load(configFile).getConfigList("sutazai.inference.workers").isEmpty(),
        configFile + ": no inference workers configured");
  }

  /** compose: every node reads its workers from the one shared file, each URL once; no node adds its own. */
  @Test
  void composeConfiguresTheWorkersOnceForEveryNode() throws IOException {
    JsonNode services = YAML.readTree(CLUSTER.resolve("docker-compose.yml").toFile()).get("services");
    Set<Path> configs = new HashSet<>();
    for (Map.Entry<String, JsonNode> service : services.properties()) {
      if (!service.getKey().startsWith("node")) {
        continue;
      }
      List<String> args = new ArrayList<>();
      service.getValue().get("command").forEach(a -> args.add(a.asText()));
      assertFalse(args.contains("--worker"), service.getKey() + " adds a worker of its own");
      service.getValue().get("environment").properties().forEach(e -> assertFalse(e.getKey().contains("WORKER"),
          service.getKey() + " sets workers through " + e.getKey()));
      configs.add(mounted(service.getValue(), args.get(args.indexOf("--config") + 1)).normalize());
    }
    assertEquals(1, configs.size(), "every node mounts the same configuration");
    List<String> urls = new ArrayList<>();
    Settings.load(configs.iterator().next()).getConfigList("sutazai.inference.workers").forEach(w -> urls.add(w.getString("url")));
    assertFalse(urls.isEmpty(), "compose configures no inference worker");
    assertEquals(new HashSet<>(urls).size(), urls.size(), "a worker URL configured twice: " + urls);
  }

  /**
   * compose, Kubernetes and cluster/local create the journal tables the same way (schema.sql, applied once, never
   * by the nodes) and put the Flyway tables in the same schema, the one cluster/postgres/setup.sh creates.
   */
  @Test
  void everyDeploymentSetsUpTheSameSchemaTheSameWay() throws IOException {
    Map<String, Config> deployments = new java.util.LinkedHashMap<>();
    deployments.put("cluster/docker-compose.conf", Settings.load(CLUSTER.resolve("docker-compose.conf")));
    JsonNode container = k8sByKind().get("Deployment").at("/spec/template/spec/containers/0");
    List<String> args = new ArrayList<>();
    container.get("args").forEach(a -> args.add(a.asText()));
    Path k8sConfig = Path.of(args.get(args.indexOf("--config") + 1));
    deployments.put(k8sConfig.toString(), Settings.load(k8sConfig));
    Map<String, Object> local = new HashMap<>();
    Matcher d = Pattern.compile("-D([a-z][a-zA-Z0-9.-]+)=(\\S+)").matcher(Files.readString(CLUSTER.resolve("local/start.sh")));
    while (d.find()) {
      local.put(d.group(1), d.group(2).replace("\"", ""));
    }
    deployments.put("cluster/local/start.sh", Settings.load(null, ConfigFactory.parseMap(local)));
    String setup = Files.readString(CLUSTER.resolve("postgres/setup.sh"));
    deployments.forEach((where, conf) -> {
      assertFalse(conf.getBoolean("sutazai.persistence.create-schema"),
          where + ": create-schema must be off (the tables come from cluster/postgres/schema.sql, once)");
      String schema = conf.getString("sutazai.metrics.baseline.schema");
      assertEquals("baselines", schema, where + ": the Flyway tables' schema");
      assertTrue(setup.contains("create schema if not exists " + schema), "cluster/postgres/setup.sh does not create " + schema);
    });
  }

  private static Map<String, JsonNode> k8sByKind() throws IOException {
    Map<String, JsonNode> byKind = new HashMap<>();
    try (Stream<Path> files = Files.list(CLUSTER.resolve("k8s"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        try (var values = YAML.readerFor(JsonNode.class).<JsonNode>readValues(f.toFile())) {
          values.readAll().stream().filter(doc -> doc != null && !doc.isEmpty() && !doc.path("kind").asText().equals("Service"))
              .forEach(doc -> byKind.put(doc.path("kind").asText(), doc));
        }
      }
    }
    return byKind;
  }

  /** The path inside the container mapped back to the file under cluster/ that the compose file mounts. */
  private static Path mounted(JsonNode service, String containerPath) {
    for (JsonNode volume : service.path("volumes")) {
      String[] parts = volume.asText().split(":");
      if (parts.length >= 2 && parts[1].equals(containerPath)) {
        return CLUSTER.resolve(parts[0]);
      }
    }
    throw new AssertionError(containerPath + " is not mounted from a file in cluster/");
  }

  /**
   * The full default configuration the application loads (Settings: every reference.conf, conf/application.conf
   * and its includes), whichever of them holds a default.
   */
  private static Config loaded() {
    return Settings.load(null);
  }

  /** Every leaf of {@code overrides} must be a setting of the configuration the application loads (or pending). */
  private static void assertKeysExist(Config overrides, String where) {
    Config known = withPending(loaded());
    for (Map.Entry<String, ConfigValue> e : overrides.entrySet()) {
      assertTrue(known.hasPathOrNull(e.getKey()),
          where + ": " + e.getKey() + " is not a setting the application loads (reference.conf, conf/)");
    }
  }

  private static Config withPending(Config conf) {
    return conf.withFallback(ConfigFactory.parseMap(PENDING_KEYS));
  }

  /** Variables of the helper scripts in cluster/dev and cluster/postgres (e.g. SUTAZAI_DOCKER_DIR of docker-engine.sh), not of the app. */
  private static boolean readByDevScripts(String name) throws IOException {
    for (String dir : List.of("dev", "postgres")) {
      try (Stream<Path> files = Files.list(CLUSTER.resolve(dir))) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          if (Files.readString(f).contains("${" + name)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** {@code name} is read as ${?name} by reference.conf or some conf/*.conf (or pending on another branch). */
  private static void assertReadInConf(String name, String where) {
    if (PENDING_ENV.contains(name)) {
      return;
    }
    try (Stream<Path> files = Stream.concat(Stream.of(Path.of("src/main/resources/sutazai-reference.conf")), Files.list(Path.of("conf")))) {
      boolean read = files.filter(p -> p.toString().endsWith(".conf")).anyMatch(p -> {
        try {
          return Files.readString(p).contains("${?" + name + "}");
        } catch (IOException ex) {
          throw new java.io.UncheckedIOException(ex);
        }
      });
      assertTrue(read, where + " sets " + name + ", which neither reference.conf nor conf/*.conf reads");
    } catch (IOException ex) {
      throw new java.io.UncheckedIOException(ex);
    }
  }
}
