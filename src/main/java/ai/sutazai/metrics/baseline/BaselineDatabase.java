package ai.sutazai.metrics.baseline;

import ai.sutazai.common.UserError;
import com.typesafe.config.Config;
import java.util.Optional;

/**
 * Where a command finds the baselines: its {@code --db}, {@code --db-user} and {@code --db-password}
 * options over {@code sutazai.metrics.baseline} (a null field takes the configuration's value). A URL that
 * is not JDBC, or a database that cannot be read, is a {@link UserError} naming the options to check.
 */
public record BaselineDatabase(String url, String user, String password) {

  /** Opens the store, creating it and applying migrations as needed ({@code baseline} commands). */
  public BaselineStore open(Config config) {
    return withStore(config, BaselineStore::open);
  }

  /**
   * The newest complete baseline; empty when the database (an H2 file not created yet) or its complete baselines
   * do not exist.
   */
  public Optional<Baseline> latestIfExists(Config config) {
    return withStore(config, (u, us, pw, schema) -> BaselineStore.openIfExists(u, us, pw, schema).flatMap(BaselineStore::latest));
  }

  /** As {@link #latestIfExists}, but an incomplete baseline when there is no complete one (BaselineStore#latestOrIncomplete). */
  public Optional<Baseline> latestOrIncompleteIfExists(Config config) {
    return withStore(config, (u, us, pw, schema) -> BaselineStore.openIfExists(u, us, pw, schema)
        .flatMap(BaselineStore::latestOrIncomplete));
  }

  /** What {@code opener} gives for these fields over the configuration's; failures are {@link UserError}s. */
  private <T> T withStore(Config config, Opener<T> opener) {
    BaselineSettings s = BaselineSettings.fromConfig(config);
    String u = url != null ? url : s.dbUrl();
    if (!u.startsWith("jdbc:")) {
      throw new UserError("--db '" + u + "' is not a JDBC URL (expected jdbc:h2:... or jdbc:postgresql://...)");
    }
    try {
      return opener.open(u, user != null ? user : s.user(), password != null ? password : s.password(), s.schema());
    } catch (BaselineStoreException e) {
      throw new UserError(e.getMessage() + " (check --db or sutazai.metrics.baseline.db-url, user, password)");
    }
  }

  private interface Opener<T> {
    T open(String url, String user, String password, String schema);
  }
}
