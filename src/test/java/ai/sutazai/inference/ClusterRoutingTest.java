package ai.sutazai.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.cluster.ClusterNode;
import ai.sutazai.common.Settings;
import ai.sutazai.inference.sim.OllamaSimulator;
import ai.sutazai.inference.sim.SimConfig;
import ai.sutazai.testsupport.DockerTestSupport;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on loopback form a cluster (provider = cluster, Jackson-only serialization); node A's router has
 * no workers of its own and answers through the simulator worker configured on node B, found through the
 * Receptionist. When B removes its worker, A stops using it.
 */
class ClusterRoutingTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  @TempDir Path dir;
  private final List<ActorTestKit> nodes = new ArrayList<>();
  private final List<InferenceModule.Handle> routers = new ArrayList<>();
  private OllamaSimulator.Running sim;

  @AfterEach
  void shutDown() {
    if (sim != null) {
      sim.close();
    }
    nodes.forEach(ActorTestKit::shutdownTestKit);
  }

  private ActorTestKit node(String name, int port, String seed) {
    Map<String, Object> values = new HashMap<>();
    values.put("akka.actor.provider", "cluster");
    values.put("akka.remote.artery.canonical.hostname", "127.0.0.1");
    values.put("akka.remote.artery.canonical.port", port);
    values.put("akka.loglevel", "INFO");
    values.put("sutazai.data-dir", dir.resolve(name).toString());
    values.put("sutazai.cluster.seed-nodes", seed);
    values.put("sutazai.cluster.bootstrap", "off");
    // Nothing may fall back to Java serialization: every message between the nodes must be CborSerializable.
    values.put("akka.actor.allow-java-serialization", "off");
    values.put("akka.actor.serialize-messages", "off");
    Config conf = Settings.load(null, ConfigFactory.parseMap(values));
    ActorTestKit kit = ActorTestKit.create("sutazai", conf);
    nodes.add(kit);
    ClusterNode.join(kit.system(), conf);
    return kit;
  }

  private InferenceModule.Handle router(ActorTestKit kit, String name) throws Exception {
    Map<String, Object> o = RouterFixture.fastSettings();
    InferenceSettings s = InferenceSettings.from(Settings.load(null, Settings.of(o)));
    InferenceModule.Handle h = InferenceModule.start(kit.system(), s, AgentGateway.ADMIT_ALL, name)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    routers.add(h);
    return h;
  }

  @Test
  void aRouterWithoutWorkersAnswersThroughAnotherNodesWorker() throws Exception {
    int portA = DockerTestSupport.freePort();
    int portB = DockerTestSupport.freePort();
    String seed = "127.0.0.1:" + portA;
    ActorTestKit a = node("a", portA, seed);
    ActorTestKit b = node("b", portB, seed);
    for (ActorTestKit kit : nodes) {
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> StreamSupport
          .stream(Cluster.get(kit.system()).state().getMembers().spliterator(), false)
          .filter(m -> m.status() == MemberStatus.up()).count() == 2);
    }
    sim = OllamaSimulator.start(b.system(), SimConfig.defaults().withModels("llama3.2").withTokensPerSecond(0));
    InferenceModule.Handle routerA = router(a, "router-a");
    InferenceModule.Handle routerB = router(b, "router-b");
    routerB.addWorker(new WorkerConfig("simb", sim.url(), 4)).toCompletableFuture().get(5, TimeUnit.SECONDS);

    String remoteName = "simb@127.0.0.1:" + portB;
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> routerA.workers().toCompletableFuture()
        .get(5, TimeUnit.SECONDS).workers().stream()
        .anyMatch(w -> w.name().equals(remoteName) && w.installed().contains("llama3.2:latest")));
    HttpResponse<String> r = post(routerA.port(), "{\"model\":\"llama3.2\",\"prompt\":\"hi\",\"stream\":false}");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(remoteName, r.headers().firstValue("X-Sutazai-Worker").orElseThrow());
    JsonNode answer = UpstreamHttp.JSON.readTree(r.body());
    assertTrue(answer.get("done").asBoolean());
    // The outcome travelled back to B's worker, and B's own router still sees its worker as its own.
    assertEquals(List.of("simb"), routerB.workers().toCompletableFuture().get(5, TimeUnit.SECONDS).workers()
        .stream().map(RouterReports.Worker::name).toList());

    // A cannot remove B's worker; B can, and then A no longer routes there.
    routerA.removeWorker(remoteName).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertTrue(routerA.workers().toCompletableFuture().get(5, TimeUnit.SECONDS).workers().stream()
        .anyMatch(w -> w.name().equals(remoteName)));
    routerB.removeWorker("simb").toCompletableFuture().get(5, TimeUnit.SECONDS);
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> routerA.workers().toCompletableFuture()
        .get(5, TimeUnit.SECONDS).workers().isEmpty());
    assertEquals(404, post(routerA.port(), "{\"model\":\"llama3.2\",\"prompt\":\"hi\",\"stream\":false}")
        .statusCode());
  }

  private static HttpResponse<String> post(int port, String json) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/generate"))
        .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
  }
}
