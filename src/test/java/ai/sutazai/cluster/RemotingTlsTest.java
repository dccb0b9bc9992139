package ai.sutazai.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.testsupport.DockerTestSupport;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster remoting accepts only peers holding the cluster's certificate: a process on the same host without it (an
 * agent container on the host network) can neither join nor deliver an actor message, whether it speaks plain TCP,
 * TLS without a client certificate, or Akka with a certificate of its own; the cluster keeps running meanwhile, and
 * a node with the certificate joins and delivers as usual.
 */
class RemotingTlsTest {
  @TempDir Path dir;
  private final List<ActorTestKit> systems = new ArrayList<>();

  @AfterEach
  void shutDown() {
    systems.forEach(ActorTestKit::shutdownTestKit);
  }

  @Test
  void onlyAPeerWithTheClusterCertificateJoinsOrDeliversAMessage() throws Exception {
    int port = DockerTestSupport.freePort();
    ActorTestKit node = start(ClusterTestSupport.nodeConfig(dir.resolve("node"), port, 0, Map.of()));
    Cluster cluster = Cluster.get(node.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.selfMember().status() == MemberStatus.up());
    TestProbe<String> inbox = node.createTestProbe();
    ActorRef<String> target = node.system().systemActorOf(Behaviors.<String>receiveMessage(m -> {
      inbox.ref().tell(m);
      return Behaviors.same();
    }), "tls-target", Props.empty());
    String targetPath = "akka://sutazai@127.0.0.1:" + port + "/system/tls-target";

    // 1. Plain TCP opening an Artery stream (magic "AKKA", stream id 1), as a node without TLS would: closed at
    // once (without TLS, Artery would keep the connection open, waiting for the first frame).
    assertClosedByPeer(port, new byte[] {'A', 'K', 'K', 'A', 1});

    // 2. TLS that trusts any server but has no client certificate: the handshake fails.
    assertThrows(IOException.class, () -> tlsWithoutClientCertificate(port)); // SSLException or a reset

    // 3. An Akka node with a certificate of its own (generated into its own data dir, as a single node does).
    // (Set over the loaded config: the test run's shared store comes as system properties, which Settings puts first.)
    ActorTestKit stranger = start(com.typesafe.config.ConfigFactory.parseMap(
            Map.of("sutazai.remoting.key-store", "", "sutazai.remoting.trust-store", ""))
        .withFallback(ClusterTestSupport.nodeConfig(dir.resolve("stranger"), 0, 0, Map.of())));
    Cluster.get(stranger.system()).manager().tell(Join.create(cluster.selfMember().address()));
    stranger.system().classicSystem().actorSelection(targetPath).tell("from the stranger", akka.actor.ActorRef.noSender());

    // A node with the cluster's certificate joins and delivers; by then the stranger's message would have arrived.
    ActorTestKit friend = start(ClusterTestSupport.nodeConfig(dir.resolve("friend"), 0, 0, Map.of()));
    Cluster.get(friend.system()).manager().tell(Join.create(cluster.selfMember().address()));
    await().atMost(Duration.ofSeconds(30)).until(() -> upMembers(cluster) == 2);
    friend.system().classicSystem().actorSelection(targetPath).tell("from the friend", akka.actor.ActorRef.noSender());
    assertEquals("from the friend", inbox.receiveMessage(Duration.ofSeconds(20)));
    inbox.expectNoMessage(Duration.ofSeconds(2));

    assertEquals(2, upMembers(cluster), "the stranger must not be a member");
    assertTrue(StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
        .noneMatch(m -> m.address().equals(Cluster.get(stranger.system()).selfMember().address())));
    assertEquals(MemberStatus.up(), cluster.selfMember().status());
    target.tell("still running");
    assertEquals("still running", inbox.receiveMessage());

    // The stranger's generated key is its own, kept private in its data dir.
    Path generated = dir.resolve("stranger").resolve("remoting").resolve("node.p12");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(generated)));
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(NodeCertificates.passwordFile(generated))));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(generated.getParent())));
  }

  /** cluster/tls/make-certs.sh: nodes with certificates of one CA (not the test run's) form a cluster. */
  @Test
  void nodesSignedByTheCaOfMakeCertsFormACluster() throws Exception {
    Path tls = dir.resolve("tls");
    Process script = new ProcessBuilder("bash", "cluster/tls/make-certs.sh", tls.toString(), "a", "b")
        .redirectErrorStream(true).start();
    String out = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(script.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "make-certs.sh did not finish: " + out);
    assertEquals(0, script.exitValue(), out);
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tls)));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve("a.p12"))));

    int port = DockerTestSupport.freePort();
    List<Cluster> clusters = new ArrayList<>();
    for (String name : List.of("a", "b")) {
      ActorTestKit kit = start(com.typesafe.config.ConfigFactory.parseMap(Map.of(
              "sutazai.remoting.key-store", tls.resolve(name + ".p12").toString(),
              "sutazai.remoting.trust-store", tls.resolve("trust.p12").toString()))
          .withFallback(ClusterTestSupport.nodeConfig(dir.resolve(name), name.equals("a") ? port : 0, 0, Map.of())));
      Cluster cluster = Cluster.get(kit.system());
      cluster.manager().tell(Join.create(akka.actor.AddressFromURIString.parse("akka://sutazai@127.0.0.1:" + port)));
      clusters.add(cluster);
    }
    for (Cluster cluster : clusters) {
      await().atMost(Duration.ofSeconds(30)).until(() -> upMembers(cluster) == 2);
    }
  }

  private ActorTestKit start(Config conf) {
    ActorTestKit kit = ActorTestKit.create("sutazai", conf);
    systems.add(kit);
    return kit;
  }

  private static int upMembers(Cluster cluster) {
    return (int) StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up()).count();
  }

  /** Sends {@code bytes} and expects the server to close the connection (EOF or reset) within 10 s. */
  private static void assertClosedByPeer(int port, byte[] bytes) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(bytes);
      out.flush();
      InputStream in = socket.getInputStream();
      try {
        byte[] buf = new byte[1024];
        while (in.read(buf) >= 0) {
          // a TLS alert may come first; the connection must then end
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the remoting port kept a plain-TCP connection open that spoke Artery's framing "
            + new String(bytes, 0, 4, StandardCharsets.US_ASCII), e);
      } catch (IOException reset) {
        // closed by the peer
      }
    }
  }

  private static void tlsWithoutClientCertificate(int port) throws Exception {
    SSLContext context = SSLContext.getInstance("TLSv1.2");
    context.init(null, new TrustManager[] {new X509TrustManager() {
      @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
      @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
      @Override public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      // TLS 1.2: a server that requires a client certificate rejects the handshake; reading shows it.
      socket.getOutputStream().write(new byte[] {'A', 'K', 'K', 'A', 0, 1});
      socket.getOutputStream().flush();
      if (socket.getInputStream().read() < 0) {
        throw new SSLException("closed by the server");
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the TLS server kept a connection without a client certificate open", e);
    }
  }
}
