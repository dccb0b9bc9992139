package ai.sutazai.capacity;

import ai.sutazai.fleet.FleetSpec;
import ai.sutazai.metrics.baseline.Baseline;
import ai.sutazai.metrics.baseline.BaselineDatabase;
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
 * {@link ai.sutazai.common.UserError} naming the setting to check.
 */
public final class ReportSources {
  private ReportSources() {}

  /** Everything found; see the class comment for what is missing and what is an error. */
  public static ReportInputs read(Config config, FleetSpec fleet, Instant from, Instant to, BaselineDatabase db) {
    ReportInputs in = ReportInputs.none();
    Optional<ReportInputs.HealthSummary> health = healthSource()
        .flatMap(s -> s.read(config, fleet.name(), List.copyOf(fleet.agents().keySet()), from, to));
    if (health.isPresent()) {
      in = in.withHealth(health.get());
    }
    // The newest complete baseline; an incomplete one (interrupted) only when there is no other, and it says so.
    Optional<Baseline> latest = db.latestOrIncompleteIfExists(config);
    if (latest.isEmpty()) {
      return in;
    }
    in = in.withUtilisation(StoredInputs.utilisation(latest.get()));
    return StoredInputs.forecast(latest.get(), ForecastSettings.fromConfig(config)).applyTo(in);
  }

  static Optional<ReportInputs.HealthSource> healthSource() {
    return ServiceLoader.load(ReportInputs.HealthSource.class, ReportSources.class.getClassLoader()).findFirst();
  }
}
