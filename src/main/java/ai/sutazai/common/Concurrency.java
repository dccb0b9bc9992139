package ai.sutazai.common;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import scala.concurrent.ExecutionContextExecutor;

/** The actor system's shared bits: the blocking dispatcher, the ask timeout, and unwrapping a future's failure. */
public final class Concurrency {
  private Concurrency() {}

  /** The dispatcher (reference.conf) for blocking calls: docker-java, OSHI, JDBC, HTTP probes. */
  public static final String BLOCKING_DISPATCHER = "sutazai-blocking-dispatcher";

  /** Config path of the timeout of asks made from outside the actors (duration). */
  public static final String ASK_TIMEOUT = "sutazai.ask-timeout";

  /** The blocking dispatcher of {@code system}; run blocking calls there, never on an actor's own thread. */
  public static ExecutionContextExecutor blocking(ActorSystem<?> system) {
    return system.dispatchers().lookup(DispatcherSelector.fromConfig(BLOCKING_DISPATCHER));
  }

  /** As {@link #blocking(ActorSystem)} for a classic actor system. */
  public static ExecutionContextExecutor blocking(akka.actor.ActorSystem system) {
    return system.dispatchers().lookup(BLOCKING_DISPATCHER);
  }

  /** {@code sutazai.ask-timeout} of {@code system}'s configuration. */
  public static Duration askTimeout(ActorSystem<?> system) {
    return system.settings().config().getDuration(ASK_TIMEOUT);
  }

  /** The failure inside any {@link CompletionException} / {@link ExecutionException} wrappers ({@code t} when none). */
  public static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** The message of the failure inside any future wrappers ("null" when it has none). */
  public static String message(Throwable t) {
    return String.valueOf(unwrap(t).getMessage());
  }

  /** The innermost cause of {@code t} ({@code t} itself when it has none). */
  public static Throwable rootCause(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }
}
