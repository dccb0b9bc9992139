package ai.sutazai.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.sutazai.cluster.ClusterNode;
import ai.sutazai.common.Settings;
import ai.sutazai.testsupport.DockerTestSupport;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One Ollama server with 2 slots configured on both nodes of a cluster (as compose and Kubernetes configure
 * theirs): many concurrent requests through both nodes' routers never put more than 2 in flight at the server;
 * the rest wait in the routers' queues, and all are answered once the server lets them go.
 */
class SharedWorkerSlotsTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final int PER_ROUTER = 4;
  @TempDir Path dir;
  private final List<ActorTestKit> nodes = new ArrayList<>();
  private FakeOllama ollama;

  @AfterEach
  void shutDown() throws Exception {
    if (ollama != null) {
      ollama.close();
    }
    nodes.forEach(ActorTestKit::shutdownTestKit);
  }

  private ActorTestKit node(String name, int port, String seed) {
    Map<String, Object> values = new HashMap<>();
    values.put("akka.actor.provider", "cluster");
    values.put("akka.remote.artery.canonical.hostname", "127.0.0.1");
    values.put("akka.remote.artery.canonical.port", port);
    values.put("sutazai.data-dir", dir.resolve(name).toString());
    values.put("sutazai.cluster.seed-nodes", seed);
    values.put("sutazai.cluster.bootstrap", "off");
    Config conf = Settings.load(null, ConfigFactory.parseMap(values));
    ActorTestKit kit = ActorTestKit.create("sutazai", conf);
    nodes.add(kit);
    ClusterNode.join(kit.system(), conf);
    return kit;
  }

  private static InferenceModule.Handle router(ActorTestKit kit, String name, WorkerConfig worker) throws Exception {
    InferenceSettings s = InferenceSettings.from(Settings.load(null, Settings.of(RouterFixture.fastSettings())));
    InferenceModule.Handle h = InferenceModule.start(kit.system(), s, AgentGateway.ADMIT_ALL, name)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    h.addWorker(worker).toCompletableFuture().get(5, TimeUnit.SECONDS);
    return h;
  }

  @Test
  void aServerConfiguredOnTwoNodesNeverGetsMoreRequestsThanItsSlots() throws Exception {
    int portA = DockerTestSupport.freePort();
    String seed = "127.0.0.1:" + portA;
    ActorTestKit a = node("a", portA, seed);
    ActorTestKit b = node("b", DockerTestSupport.freePort(), seed);
    for (ActorTestKit kit : nodes) {
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> StreamSupport
          .stream(Cluster.get(kit.system()).state().getMembers().spliterator(), false)
          .filter(m -> m.status() == MemberStatus.up()).count() == 2);
    }
    ollama = new FakeOllama(b.system(), "ollama", Set.of("m:latest"), Set.of("m:latest"));
    ollama.mode = FakeOllama.Mode.HOLD;
    List<InferenceModule.Handle> routers = List.of(router(a, "router-a", ollama.config(2)),
        router(b, "router-b", ollama.config(2)));
    // Each node's Receptionist lists both routers (a router splits the slots once it sees the other: until the
    // listing reaches it, right after a node joins, it counts itself alone; docs/cluster.md).
    for (ActorTestKit kit : nodes) {
      akka.actor.testkit.typed.javadsl.TestProbe<akka.actor.typed.receptionist.Receptionist.Listing> listings =
          kit.createTestProbe();
      kit.system().receptionist().tell(akka.actor.typed.receptionist.Receptionist.subscribe(InferenceRouter.ROUTERS_KEY,
          listings.getRef()));
      listings.fishForMessage(Duration.ofSeconds(30), l -> l.getServiceInstances(InferenceRouter.ROUTERS_KEY).size() == 2
          ? akka.actor.testkit.typed.javadsl.FishingOutcomes.complete() : akka.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
    }
    for (InferenceModule.Handle r : routers) {
      // Each router knows the model is there, and sees the other node's router (and the same server merged).
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> r.workers().toCompletableFuture()
          .get(5, TimeUnit.SECONDS).workers().stream().anyMatch(w -> w.installed().contains("m:latest")));
    }

    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (InferenceModule.Handle r : routers) {
      for (int i = 0; i < PER_ROUTER; i++) {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.port() + "/api/generate"))
            .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"prompt\":\"hi\",\"stream\":false}")).build();
        answers.add(HTTP.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
      }
    }
    // Settled: every request is either at the server or waiting in a router's queue.
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
        ollama.holding.get() + waiting(routers) == 2 * PER_ROUTER);
    assertEquals(2, ollama.holding.get(), "requests in flight at the 2-slot server");
    assertEquals(2 * PER_ROUTER - 2, waiting(routers), "the others wait in the routers' queues");

    ollama.held.complete(akka.Done.getInstance());
    for (CompletableFuture<HttpResponse<String>> f : answers) {
      HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
      assertEquals(200, r.statusCode(), r.body());
    }
  }

  private static int waiting(List<InferenceModule.Handle> routers) throws Exception {
    int n = 0;
    for (InferenceModule.Handle r : routers) {
      for (RouterReports.ModelQueue q : r.queue().toCompletableFuture().get(5, TimeUnit.SECONDS).models()) {
        n += q.depth();
      }
    }
    return n;
  }
}
