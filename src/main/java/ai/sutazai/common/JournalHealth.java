package ai.sutazai.common;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.BackoffSupervisorStrategy;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.eventstream.EventStream;
import com.typesafe.config.Config;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which event-sourced actors cannot use the journal right now, and why. An actor whose write or recovery
 * failed is restarted with backoff ({@link #restartStrategy}) and reports {@link #failed}; once its recovery
 * completes it reports {@link #recovered}. Readiness (Akka Management's {@code /ready}, the management
 * API's {@code /health}) and the activation inboxes read it, and every change is published on the event
 * stream as an {@link Availability}.
 *
 * <p>Errors a caller gets while the journal is away start with {@link #PREFIX} ("journal unavailable: ").
 * Thread-safe: actors write it, HTTP threads read it.
 */
public final class JournalHealth implements Extension {
  private static final Logger log = LoggerFactory.getLogger(JournalHealth.class);

  /** How every journal-outage error message starts. */
  public static final String PREFIX = "journal unavailable: ";

  /** The reason given while the cause of a failed write is not known yet (recovery attempts tell it). */
  public static final String WRITE_FAILED = "a journal write failed; retrying with backoff";

  /** An actor's journal availability changed: {@code problem} is null once it works again. */
  public record Availability(String persistenceId, String problem) {}

  private record Outage(String reason, Instant since, Instant updated) {}

  private final ActorSystem<?> system;
  private final BackoffSupervisorStrategy restartStrategy;
  private final Map<String, Outage> down = new ConcurrentHashMap<>();
  /** Every failed journal write or recovery since start ({@code sutazai_journal_failures_total}). */
  private final io.prometheus.metrics.core.metrics.Counter failures;

  private JournalHealth(ActorSystem<?> system) {
    this.failures = MetricsRegistry.get(system).once("sutazai_journal_failures_total",
        r -> io.prometheus.metrics.core.metrics.Counter.builder().name("sutazai_journal_failures_total")
            .help("Event journal writes or recoveries that failed (each restarts its actor with backoff)").register(r));
    this.system = system;
    this.restartStrategy = restartStrategy(system.settings().config());
  }

  /** {@link #restartStrategy(Config)} of this actor system's configuration, read once. */
  public BackoffSupervisorStrategy restartStrategy() {
    return restartStrategy;
  }

  public static final class Id extends ExtensionId<JournalHealth> {
    @Override
    public JournalHealth createExtension(ActorSystem<?> system) {
      return new JournalHealth(system);
    }
  }

  private static final Id ID = new Id();

  public static JournalHealth get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  /** reference.conf's values, for an actor system without it (tests). */
  private static final Config BACKOFF_DEFAULTS =
      com.typesafe.config.ConfigFactory.parseString("min = 1s, max = 10s, random-factor = 0.2, stash-capacity = 10000");

  /**
   * The supervision of every event-sourced actor on a write or recovery failure: restart with backoff
   * (sutazai.persistence.failure-backoff), for as long as it takes, keeping children (an agent's container
   * actor keeps watching its container) and stashing what arrives meanwhile.
   */
  public static BackoffSupervisorStrategy restartStrategy(Config conf) {
    String path = "sutazai.persistence.failure-backoff";
    Config c = conf.hasPath(path) ? conf.getConfig(path).withFallback(BACKOFF_DEFAULTS) : BACKOFF_DEFAULTS;
    return SupervisorStrategy.restartWithBackoff(c.getDuration("min"), c.getDuration("max"), c.getDouble("random-factor"))
        .withStopChildren(false)
        .withStashCapacity(c.getInt("stash-capacity"))
        .withLogLevel(org.slf4j.event.Level.WARN);
  }

  /** {@code persistenceId} could not write or recover; {@code reason} is null when not known (keeps a known one). */
  public void failed(String persistenceId, String reason) {
    failures.inc();
    Instant now = Instant.now();
    Outage before = down.get(persistenceId);
    String why = reason != null ? reason : before != null ? before.reason() : WRITE_FAILED;
    down.put(persistenceId, new Outage(why, before != null ? before.since() : now, now));
    if (before == null || !before.reason().equals(why)) {
      log.warn("{}{} ({})", PREFIX, why, persistenceId);
      system.eventStream().tell(new EventStream.Publish<>(new Availability(persistenceId, PREFIX + why)));
    }
  }

  /** {@code persistenceId} recovered from the journal: it works again. */
  public void recovered(String persistenceId) {
    Outage before = down.remove(persistenceId);
    if (before != null) {
      log.info("journal available again for {} after {} ms", persistenceId, Duration.between(before.since(), Instant.now()).toMillis());
      system.eventStream().tell(new EventStream.Publish<>(new Availability(persistenceId, null)));
    }
  }

  /** {@code persistenceId} stopped (passivated, removed, shut down): it no longer waits for anything. */
  public void forget(String persistenceId) {
    if (down.remove(persistenceId) != null) {
      system.eventStream().tell(new EventStream.Publish<>(new Availability(persistenceId, null)));
    }
  }

  /** "journal unavailable: ..." while {@code persistenceId} cannot use the journal. */
  public Optional<String> problemOf(String persistenceId) {
    Outage o = down.get(persistenceId);
    return o == null ? Optional.empty() : Optional.of(PREFIX + o.reason());
  }

  /** "journal unavailable: <latest reason> (N actors waiting since ...)" while any actor cannot use the journal. */
  public Optional<String> problem() {
    return down.values().stream().max(Comparator.comparing(Outage::updated)).map(latest -> {
      Instant since = down.values().stream().map(Outage::since).min(Comparator.naturalOrder()).orElse(latest.since());
      return PREFIX + latest.reason() + " (" + down.size() + " event-sourced actor(s) waiting to recover, since " + since + ")";
    });
  }

  /** True when {@code t} (or its cause) is a "journal unavailable" error. */
  public static boolean isUnavailable(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c.getMessage() != null && c.getMessage().startsWith(PREFIX)) {
        return true;
      }
    }
    return false;
  }

  /** The innermost cause's message, for a one-line reason (e.g. "Connection refused"). */
  public static String describe(Throwable t) {
    String best = null;
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c.getMessage() != null && !c.getMessage().isBlank()) {
        best = c.getMessage();
      }
    }
    return best != null ? best : t.getClass().getSimpleName();
  }
}
