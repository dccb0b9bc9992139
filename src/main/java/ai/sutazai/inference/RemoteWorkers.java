package ai.sutazai.inference;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;

/**
 * The router's view of other nodes' workers, found through the Receptionist ({@link OllamaWorker#SERVICE_KEY}).
 * Owned by one {@link InferenceRouter} and only touched from it (not thread-safe).
 *
 * <p>Rules: workers on this node are not taken from the listing (this node's router spawned them, or another
 * router on the same node did, which keeps several routers in one JVM independent); each other node's worker
 * is subscribed to and gets the name {@code <its name>@<host>:<port>} of its node; a worker whose URL is on
 * loopback is used only when its node runs on the same host as this one (a loopback URL means nothing on
 * another machine).
 */
final class RemoteWorkers {
  private final Address self;
  private final ActorRef<OllamaWorker.Published> subscriber;
  private final Logger log;
  private final Set<ActorRef<OllamaWorker.Command>> listed = new HashSet<>();
  private final Map<ActorRef<OllamaWorker.Command>, String> names = new HashMap<>();
  private final Set<ActorRef<OllamaWorker.Command>> unusable = new HashSet<>();

  RemoteWorkers(Address self, ActorRef<OllamaWorker.Published> subscriber, Logger log) {
    this.self = self;
    this.subscriber = subscriber;
    this.log = log;
  }

  /**
   * A new Receptionist listing: subscribes to other nodes' workers not seen before and returns the router
   * names of those that left it.
   */
  List<String> listed(Set<ActorRef<OllamaWorker.Command>> all) {
    Set<ActorRef<OllamaWorker.Command>> now = new HashSet<>();
    for (ActorRef<OllamaWorker.Command> ref : all) {
      if (!onThisNode(ref)) {
        now.add(ref);
      }
    }
    for (ActorRef<OllamaWorker.Command> ref : now) {
      if (listed.add(ref)) {
        ref.tell(new OllamaWorker.Subscribe(subscriber));
      }
    }
    List<String> gone = new ArrayList<>();
    for (Iterator<ActorRef<OllamaWorker.Command>> it = listed.iterator(); it.hasNext(); ) {
      ActorRef<OllamaWorker.Command> ref = it.next();
      if (!now.contains(ref)) {
        it.remove();
        unusable.remove(ref);
        String name = names.remove(ref);
        if (name != null) {
          gone.add(name);
        }
      }
    }
    return gone;
  }

  /** The router's name for the worker of {@code p}, or null when it is not (or no longer) to be used. */
  String nameOf(OllamaWorker.Published p) {
    ActorRef<OllamaWorker.Command> ref = p.worker();
    if (!listed.contains(ref) || unusable.contains(ref)) {
      return null;
    }
    String name = names.get(ref);
    if (name != null) {
      return name;
    }
    Address node = ref.path().address();
    if (isLoopback(p.status().config().url()) && !node.getHost().equals(self.getHost())) {
      unusable.add(ref);
      log.warn("inference worker {} of node {} has a loopback URL ({}) and that node is on another host: not used"
          + " here", p.status().config().name(), node, p.status().config().url());
      return null;
    }
    name = p.status().config().name() + "@" + node.getHost().orElse("?") + ":" + node.getPort().orElse(0);
    names.put(ref, name);
    return name;
  }

  private boolean onThisNode(ActorRef<?> ref) {
    Address a = ref.path().address();
    return a.hasLocalScope() || a.equals(self);
  }

  /** By the URL's text only (no DNS lookup on the actor's thread): localhost, 127.0.0.0/8, ::1. */
  static boolean isLoopback(String url) {
    try {
      String host = URI.create(url).getHost();
      if (host == null) {
        return false;
      }
      String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
      return h.equalsIgnoreCase("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
