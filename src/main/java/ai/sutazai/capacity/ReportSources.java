package ai.sutazai.capacity;

import ai.sutazai.UserError;
import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.metrics.baseline.Baseline;
import ai.sutazai.metrics.baseline.BaselineSettings;
import ai.sutazai.metrics.baseline.BaselineStore;
import ai.sutazai.metrics.baseline.BaselineStoreException;
import ai.sutazai.metrics.forecast.ForecastSettings;
import com.typesafe.config.Config;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Gathers what {@code sutazai analyze} reports beyond the fleet spec: the health summary from the journal
 * ({@link ReportInputs.HealthSource}, implemented by the supervisor room), utilisation from the latest
 * stored baseline, and the forecast from that baseline's samples. Blocking (JDBC); for the command line.
 * A store that does not exist yet gives "no data yet" sections; one that exists but cannot be read is a
 * {@link UserError} naming the setting to check.
 */
public final class ReportSources {
  private ReportSources() {}

  /** {@code --db}, {@code --db-user}, {@code --db-password}; null fields fall back to the configuration. */
  public record BaselineDb(String url, String user, String password) {}

  /** Everything found; see the class comment for what is missing and what is an error. */
  public static ReportInputs read(Config config, FleetSpec fleet, Instant from, Instant to, BaselineDb db) {
    ReportInputs in = ReportInputs.none();
    Optional<ReportInputs.HealthSummary> health = healthSource()
        .flatMap(s -> s.read(config, fleet.name(), List.copyOf(fleet.agents().keySet()), from, to));
    if (health.isPresent()) {
      in = in.withHealth(health.get());
    }
    Optional<Baseline> latest = latestBaseline(config, db);
    if (latest.isEmpty()) {
      return in;
    }
    in = in.withUtilisation(StoredInputs.utilisation(latest.get()));
    return StoredInputs.forecast(latest.get(), ForecastSettings.fromConfig(config)).applyTo(in);
  }

  static Optional<ReportInputs.HealthSource> healthSource() {
    return ServiceLoader.load(ReportInputs.HealthSource.class, ReportSources.class.getClassLoader()).findFirst();
  }

  /** The newest baseline, or empty when the database (an H2 file not created yet) or its baselines do not exist. */
  static Optional<Baseline> latestBaseline(Config config, BaselineDb db) {
    BaselineSettings s = BaselineSettings.fromConfig(config);
    String url = db.url() != null ? db.url() : s.dbUrl();
    if (!url.startsWith("jdbc:")) {
      throw new UserError("--db '" + url + "' is not a JDBC URL (expected jdbc:h2:... or jdbc:postgresql://...)");
    }
    try {
      return BaselineStore.openIfExists(url, db.user() != null ? db.user() : s.user(),
          db.password() != null ? db.password() : s.password(), s.schema()).flatMap(BaselineStore::latest);
    } catch (BaselineStoreException e) {
      throw new UserError(e.getMessage() + " (check --db or sutazai.metrics.baseline.db-url, user, password)");
    }
  }
}
