package ai.sutazai.cluster;

import ai.sutazai.common.Concurrency;

import ai.sutazai.common.SettingsException;
import akka.actor.Address;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.cluster.typed.JoinSeedNodes;
import akka.http.javadsl.model.Uri;
import akka.management.cluster.bootstrap.ClusterBootstrap;
import akka.management.javadsl.AkkaManagement;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Makes a started ActorSystem (provider = cluster, reference.conf) a member of its cluster, and starts
 * Akka Management (health checks, cluster HTTP routes).
 *
 * <p>Three ways to join, chosen by config:
 * <ul>
 *   <li>{@value #BOOTSTRAP_KEY} = on: Akka Management cluster bootstrap finds the other nodes through
 *       service discovery (Kubernetes API, conf/cluster-k8s.conf) and forms or joins the cluster;
 *   <li>{@value #SEED_NODES_KEY} non-empty: join those nodes (the first seed node starts the cluster
 *       when nobody else is up yet, the others wait for it);
 *   <li>otherwise: join itself, a cluster of one.
 * </ul>
 *
 * <p>Typical use:
 * <pre>{@code
 * ClusterNode.seedNodes("sutazai", conf);                        // optional: reject bad seed nodes early
 * ActorSystem<X> system = ClusterNode.createSystem(guardian, "sutazai", conf);
 * ClusterNode.startManagement(system).toCompletableFuture().get(30, SECONDS); // /alive, /ready, /cluster/members
 * ClusterNode.join(system, conf);
 * }</pre>
 */
public final class ClusterNode {
  private ClusterNode() {}

  /** Config key of the seed nodes: a list of "host:port", or one comma-separated string (from env). */
  public static final String SEED_NODES_KEY = "sutazai.cluster.seed-nodes";
  /** Config key switching to cluster bootstrap through service discovery. */
  public static final String BOOTSTRAP_KEY = "sutazai.cluster.bootstrap";
  /** Protocol of Artery addresses (TCP and TLS-TCP alike). */
  private static final String PROTOCOL = "akka";

  /**
   * Joins the cluster as configured in {@code conf} (see the class comment). Returns at once; watch
   * {@code Cluster.get(system).selfMember().status()} or cluster events to see the node become Up.
   *
   * @throws SettingsException when a seed node entry is not "host:port" (the message names the key)
   */
  public static void join(ActorSystem<?> system, Config conf) {
    if (conf.hasPath(BOOTSTRAP_KEY) && conf.getBoolean(BOOTSTRAP_KEY)) {
      // Bootstrap contacts other nodes' Akka Management endpoints, so ours must be running too.
      AkkaManagement.get(system.classicSystem()).start();
      ClusterBootstrap.get(system.classicSystem()).start();
      return;
    }
    List<Address> seeds = seedNodes(system.name(), conf);
    Cluster cluster = Cluster.get(system);
    if (seeds.isEmpty()) {
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    } else {
      cluster.manager().tell(new JoinSeedNodes(seeds));
    }
  }

  /**
   * Starts Akka Management on {@code akka.management.http.hostname:port}: the health checks
   * ({@code /alive}, {@code /ready} with the journal and Docker readiness checks) and the read-only
   * cluster routes ({@code /cluster/members}). Completes with the bound URI, or fails when the port is taken.
   * Calling it again returns the same binding.
   */
  public static CompletionStage<Uri> startManagement(ActorSystem<?> system) {
    Config conf = system.settings().config();
    String where = conf.getString("akka.management.http.hostname") + ":" + conf.getString("akka.management.http.port");
    CompletableFuture<Uri> bound = new CompletableFuture<>();
    AkkaManagement.get(system.classicSystem()).start().whenComplete((uri, err) -> {
      if (err == null) {
        bound.complete(uri);
      } else {
        bound.completeExceptionally(new SettingsException("Akka Management cannot listen on " + where
            + " (akka.management.http.hostname / akka.management.http.port, env SUTAZAI_AKKA_MANAGEMENT_PORT): "
            + rootMessage(err)));
      }
    });
    return bound;
  }

  /**
   * Creates the ActorSystem, turning a remoting port that cannot be bound into a {@link SettingsException}
   * that names the setting, instead of Akka's stack trace.
   */
  public static <T> ActorSystem<T> createSystem(Behavior<T> guardian, String name, Config conf) {
    try {
      return ActorSystem.create(guardian, name, conf);
    } catch (RuntimeException e) {
      if (Concurrency.rootCause(e) instanceof java.net.BindException || Concurrency.rootCause(e) instanceof java.net.UnknownHostException) {
        throw new SettingsException("remoting cannot listen on " + conf.getString("akka.remote.artery.canonical.hostname")
            + ":" + conf.getString("akka.remote.artery.canonical.port") + " (akka.remote.artery.canonical.hostname / "
            + ".port, env SUTAZAI_REMOTE_HOST / SUTAZAI_REMOTE_PORT): " + rootMessage(e));
      }
      throw e;
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable root = Concurrency.rootCause(t);
    return root.getMessage() != null ? root.getMessage() : root.toString();
  }

  /**
   * The seed nodes of {@value #SEED_NODES_KEY} as Akka addresses of system {@code systemName}; empty
   * when none are configured. Call it before creating the ActorSystem to reject bad input early.
   *
   * @throws SettingsException when an entry is not "host:port" with a port in 1..65535
   */
  public static List<Address> seedNodes(String systemName, Config conf) {
    if (!conf.hasPath(SEED_NODES_KEY)) {
      return List.of();
    }
    List<String> entries;
    if (conf.getValue(SEED_NODES_KEY).valueType() == ConfigValueType.LIST) {
      entries = conf.getStringList(SEED_NODES_KEY);
    } else {
      entries = Arrays.asList(conf.getString(SEED_NODES_KEY).split(","));
    }
    List<Address> seeds = new ArrayList<>();
    for (String entry : entries) {
      String trimmed = entry.trim();
      if (!trimmed.isEmpty()) {
        seeds.add(parse(systemName, trimmed));
      }
    }
    return List.copyOf(seeds);
  }

  private static Address parse(String systemName, String entry) {
    int colon = entry.lastIndexOf(':');
    String host = colon > 0 ? entry.substring(0, colon).trim() : "";
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1); // [::1]:2551
    }
    int port = -1;
    if (colon > 0) {
      try {
        port = Integer.parseInt(entry.substring(colon + 1).trim());
      } catch (NumberFormatException e) {
        port = -1;
      }
    }
    if (host.isEmpty() || host.contains("/") || port < 1 || port > 65535) {
      throw new SettingsException(SEED_NODES_KEY + ": \"" + entry + "\" is not host:port (for example 127.0.0.1:2551; "
          + "port 1-65535, the remoting port akka.remote.artery.canonical.port of that node)");
    }
    return new Address(PROTOCOL, systemName, host, port);
  }
}
