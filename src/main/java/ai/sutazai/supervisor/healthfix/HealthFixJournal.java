package ai.sutazai.supervisor.healthfix;

import ai.sutazai.common.JournalSchema;
import ai.sutazai.common.UserError;
import ai.sutazai.supervisor.healthfix.AppliedFix;
import ai.sutazai.supervisor.healthfix.HealthFixEvent;
import ai.sutazai.supervisor.healthfix.HealthFixLog;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.AskPattern;
import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.PersistenceQuery;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The journal of applied health fixes, for {@code sutazai health-fix}: {@code --apply} appends every applied
 * fix as a {@link HealthFixEvent} under {@code HealthFix|<fleet>} (through {@link HealthFixLog}, in the
 * configured JDBC journal), and {@code --history} reads them back. Blocking; runs its own short-lived local
 * actor system, so call it from the command line, not from an actor.
 */
public final class HealthFixJournal implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String PREFIX = HealthFixLog.persistenceId("x").id().replace("x", "");

  /** One journalled fix with its sequence number within its fleet's journal. */
  public record Entry(long seqNr, HealthFixEvent event) {}

  private final Config config;
  private final ActorSystem<Void> system;

  private HealthFixJournal(Config config) {
    this.config = config;
    this.system = LocalJournalSystem.start(config, "sutazai-health-fix");
  }

  /**
   * Opens the configured journal; for writing, its tables are first brought to the latest migration
   * ({@link JournalSchema}, as the daemon does).
   */
  public static HealthFixJournal open(Config config, boolean forWriting) {
    if (forWriting && config.getBoolean("sutazai.persistence.create-schema")) {
      try {
        JournalSchema.migrate(config);
      } catch (IllegalStateException e) {
        throw new UserError(e.getMessage());
      }
    }
    return new HealthFixJournal(config);
  }

  /** Journals every fix of {@code applied}, each under its own fleet's persistence id; blocks until written. */
  public void record(List<AppliedFix> applied) {
    Map<String, List<HealthFixEvent>> byFleet = new LinkedHashMap<>();
    for (AppliedFix a : applied) {
      HealthFixEvent e = HealthFixEvent.of(a);
      byFleet.computeIfAbsent(e.fleet(), f -> new ArrayList<>()).add(e);
    }
    int n = 0;
    for (Map.Entry<String, List<HealthFixEvent>> e : byFleet.entrySet()) {
      ActorRef<HealthFixLog.Command> log = system.systemActorOf(HealthFixLog.create(e.getKey()), "health-fix-log-" + n++,
          Props.empty());
      try {
        await(AskPattern.<HealthFixLog.Command, Long>askWithStatus(log, r -> new HealthFixLog.Record(e.getValue(), r),
            TIMEOUT, system.scheduler()));
      } catch (NoJournal missing) {
        throw new UserError("the journal " + LocalJournalSystem.url(config) + " has no tables and "
            + "sutazai.persistence.create-schema is off: create them (cluster/ holds the schemas) or turn it on");
      }
    }
  }

  /**
   * The newest {@code limit} fixes journalled for {@code fleetOrNull} (every fleet when null), newest first.
   * A journal that does not exist yet has none.
   */
  public List<Entry> history(String fleetOrNull, int limit) {
    JdbcReadJournal read = PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    List<String> ids = fleetOrNull != null ? List.of(HealthFixLog.persistenceId(fleetOrNull).id())
        : await(read.currentPersistenceIds().filter(id -> id.startsWith(PREFIX)).runFold(new ArrayList<String>(), (acc, id) -> {
          acc.add(id);
          return acc;
        }, system));
    List<Entry> all = new ArrayList<>();
    for (String id : ids) {
      all.addAll(await(read.currentEventsByPersistenceId(id, 0L, Long.MAX_VALUE).runFold(new ArrayList<Entry>(),
          (List<Entry> acc, EventEnvelope env) -> {
            if (env.event() instanceof HealthFixEvent ev) {
              acc.add(new Entry(env.sequenceNr(), ev));
            }
            return acc;
          }, system)));
    }
    all.sort(Comparator.comparing((Entry x) -> x.event().at()).reversed().thenComparing(Entry::seqNr, Comparator.reverseOrder()));
    return all.size() > limit ? List.copyOf(all.subList(0, limit)) : List.copyOf(all);
  }

  private <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      String why = LocalJournalSystem.rootMessage(e);
      if (HealthHistorySource.noTables(why)) {
        throw new NoJournal();
      }
      throw new UserError(LocalJournalSystem.explain(config.getString("sutazai.persistence.db"), LocalJournalSystem.url(config), why));
    } catch (TimeoutException e) {
      throw new UserError("the journal " + LocalJournalSystem.url(config) + " did not answer within " + TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while using the journal");
    }
  }

  /** The journal's tables do not exist: nothing was ever journalled. */
  static final class NoJournal extends RuntimeException {
    NoJournal() {
      super("no journal tables", null, false, false);
    }
  }

  /** History that treats a journal without tables as empty. */
  public List<Entry> historyOrEmpty(String fleetOrNull, int limit) {
    try {
      return history(fleetOrNull, limit);
    } catch (NoJournal e) {
      return List.of();
    }
  }

  @Override
  public void close() {
    LocalJournalSystem.stop(system);
  }
}
