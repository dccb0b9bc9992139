package ai.sutazai.supervisor.healthfix;

import ai.sutazai.supervisor.protocol.AgentJournal;

import ai.sutazai.common.UserError;
import ai.sutazai.capacity.ReportInputs;
import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code sutazai analyze}'s health section from the configured journal (H2 file under
 * {@code sutazai.data-dir}, or PostgreSQL), read through {@link AgentJournal} in a short-lived local actor
 * system. Registered in {@code META-INF/services} for {@link ReportInputs.HealthSource}.
 *
 * <p>A missing H2 file, or a database without the journal tables, is "no data yet", not an error. The H2
 * journal URL carries {@code AUTO_SERVER=TRUE} (reference.conf), so this reads it while a daemon
 * holds it; a journal URL without it gets a clear error naming the fix.
 */
public final class HealthHistorySource implements ReportInputs.HealthSource {
  /** Most events read per agent (newest kept); far beyond what a period of a busy agent holds. */
  public static final int MAX_EVENTS_PER_AGENT = 100_000;
  private static final long READ_TIMEOUT_SECONDS = 120;

  @Override
  public Optional<ReportInputs.HealthSummary> read(Config config, String fleet, List<String> agents, Instant from, Instant to) {
    String db = config.getString("sutazai.persistence.db");
    String url = LocalJournalSystem.url(config);
    if (LocalJournalSystem.missingH2File(config)) {
      return Optional.empty();
    }
    ActorSystem<Void> system = LocalJournalSystem.start(config, "sutazai-analyze");
    try {
      return HealthHistory.read(new AgentJournal(system), fleet, agents, from, to, MAX_EVENTS_PER_AGENT)
          .toCompletableFuture().get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      String why = LocalJournalSystem.rootMessage(e);
      if (noTables(why)) {
        return Optional.empty();
      }
      throw new UserError(LocalJournalSystem.explain(db, url, why));
    } catch (TimeoutException e) {
      throw new UserError("reading the journal " + url + " took over " + READ_TIMEOUT_SECONDS + " s (sutazai.persistence.db = "
          + db + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while reading the journal");
    } finally {
      LocalJournalSystem.stop(system);
    }
  }

  /** The journal tables do not exist (yet): no data, not an error. */
  public static boolean noTables(String message) {
    String m = message.toLowerCase(java.util.Locale.ROOT);
    return (m.contains("event_journal") || m.contains("journal")) && (m.contains("not found") || m.contains("does not exist"));
  }
}
