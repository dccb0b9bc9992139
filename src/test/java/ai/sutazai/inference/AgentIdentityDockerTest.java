package ai.sutazai.inference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.common.AgentKeys;
import ai.sutazai.common.Settings;
import ai.sutazai.fleet.AgentSpec;
import ai.sutazai.fleet.FleetLoader;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.inference.sim.OllamaSimulator;
import ai.sutazai.inference.sim.SimConfig;
import ai.sutazai.supervisor.container.ContainerSpecs;
import ai.sutazai.testsupport.DockerTestSupport;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A stock Ollama client in an agent's container changes nothing but OLLAMA_HOST, which the supervisor sets
 * to the router's /agents/&lt;agent&gt; path: its requests are that agent's (admitted and finished for it,
 * which is the supervisor's busy marking), with no X-Sutazai-Agent header sent.
 */
class AgentIdentityDockerTest {
  @RegisterExtension static final DockerTestSupport docker = new DockerTestSupport();

  /** Records what the router tells the supervisor's side about agents. */
  private static final class Recording implements AgentGateway {
    final List<String> admitted = new CopyOnWriteArrayList<>();
    final List<String> finished = new CopyOnWriteArrayList<>();
    final Set<String> known;

    Recording(Set<String> known) {
      this.known = known;
    }

    @Override
    public CompletableFuture<AgentAdmission> admit(String agent) {
      admitted.add(agent);
      return CompletableFuture.completedFuture(AgentAdmission.admit(0));
    }

    @Override
    public void finished(String agent) {
      finished.add(agent);
    }

    @Override
    public boolean knows(String agent) {
      return known.contains(agent);
    }
  }

  @Test
  void aContainersOwnWgetViaOllamaHostIsCountedForItsAgentWithoutAHeader() throws Exception {
    int port = DockerTestSupport.freePort();
    Config conf = Settings.load(null, ConfigFactory.parseString("sutazai.inference.port = " + port + "\n"
        + "sutazai.inference.agent-keys.secret = \"identity-test\"\n"));
    AgentKeys keys = AgentKeys.ofSecret("identity-test");
    FleetSpec fleet = FleetLoader.fromConfig(ConfigFactory.parseString("sutazai.fleet { name = \"" + docker.fleet()
        + "\", agents {\n"
        + "  coder { image = \"" + DockerTestSupport.IMAGE + "\", memory = 16MiB, cpus = 0.1, command = [\"sh\", \"-c\", "
        + "\"wget -q -O /tmp/out --header 'Content-Type: application/json' --post-data "
        + "'{\\\"model\\\":\\\"llama3.2:1b\\\",\\\"prompt\\\":\\\"hi\\\",\\\"stream\\\":false}' $OLLAMA_HOST/api/generate; "
        + "echo exit=$? >> /tmp/out; sleep 300\"] }\n"
        + "  own { image = \"x\", memory = 16MiB, cpus = 0.1, env { OLLAMA_HOST = \"http://elsewhere:1\" } }\n"
        + "} }"), null, conf);
    AgentSpec coder = fleet.agents().get("coder");
    String coderBase = "http://127.0.0.1:" + port + "/agents/coder/" + keys.keyOf("coder");
    assertEquals(coderBase, coder.env().get("OLLAMA_HOST"));
    assertEquals(coderBase + "/v1", coder.env().get("OPENAI_BASE_URL"));
    assertEquals("http://elsewhere:1", fleet.agents().get("own").env().get("OLLAMA_HOST"), "a value the spec sets wins");

    ActorTestKit kit = ActorTestKit.create("identity", conf);
    Recording gateway = new Recording(Set.of("coder", "tester"));
    HttpClient http = HttpClient.newHttpClient();
    try (OllamaSimulator.Running sim = OllamaSimulator.start(SimConfig.defaults().withModels("llama3.2:1b")
        .withLoadTime(Duration.ofMillis(20)).withTokensPerSecond(1000))) {
      InferenceModule.Handle router = InferenceModule.start(kit.system(), conf, gateway).toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      router.addWorker(WorkerConfig.fromUrl(sim.url(), 4)).toCompletableFuture().get(30, TimeUnit.SECONDS);
      String base = "http://127.0.0.1:" + router.port();
      // The router serves /agents/{agent}/... ; an unknown agent is 404.
      HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(base + "/agents/nope/api/generate"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"llama3.2:1b\",\"prompt\":\"hi\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(404, unknown.statusCode(), unknown.body());
      assertTrue(unknown.body().contains("unknown agent 'nope'"), unknown.body());
      String chat = "{\"model\":\"llama3.2:1b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
      // Naming tester without its key (or with another agent's) is served, but anonymously: tester is neither
      // activated nor marked busy.
      await().atMost(Duration.ofSeconds(30)).until(() -> http.send(HttpRequest.newBuilder(
              URI.create(base + "/agents/tester/v1/chat/completions"))
          .POST(HttpRequest.BodyPublishers.ofString(chat)).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
      assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "/agents/tester/" + keys.keyOf("coder")
          + "/v1/chat/completions")).POST(HttpRequest.BodyPublishers.ofString(chat)).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
      assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
          .header("X-Sutazai-Agent", "tester").POST(HttpRequest.BodyPublishers.ofString(chat)).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
      assertEquals(List.of(), gateway.admitted, "no request without tester's key speaks for tester");
      assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "/agents/tester/" + keys.keyOf("tester")
          + "/v1/chat/completions")).POST(HttpRequest.BodyPublishers.ofString(chat)).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
      assertTrue(gateway.admitted.contains("tester"), "the OpenAI path under /agents/tester/<its key>/ is tester's");

      String id = docker.runtime().create(ContainerSpecs.of(docker.fleet(), coder));
      docker.runtime().start(id);
      await().atMost(Duration.ofSeconds(60)).until(() -> gateway.finished.contains("coder"));
      assertTrue(gateway.admitted.contains("coder"));
      String out = docker.runtime().exec(id, List.of("cat", "/tmp/out"), Duration.ofSeconds(10)).output();
      assertTrue(out.contains("\"done\":true") && out.contains("exit=0"), out);
      router.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      kit.shutdownTestKit();
    }
  }
}
