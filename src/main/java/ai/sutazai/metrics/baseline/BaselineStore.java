package ai.sutazai.metrics.baseline;

import ai.sutazai.common.Concurrency;

import ai.sutazai.common.H2Files;
import ai.sutazai.metrics.stats.Point;
import ai.sutazai.metrics.stats.Summary;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Stores baselines through JDBC in the tables of {@code db/migration/V1__baselines.sql},
 * {@code V2__baseline_samples.sql} (the samples forecasts need) and {@code V3__baseline_complete.sql} (a
 * baseline is stored while it is recorded: {@link #insert} then {@link #update} after every sample, complete at
 * the end), which Flyway applies on {@link #open}. Works on H2 2.x and PostgreSQL 15.
 *
 * <p>Hazard: every method blocks on the database; call it from the CLI thread or on
 * {@code sutazai-blocking-dispatcher}, never on an actor's own thread. A connection is opened per call
 * and closed in {@code finally} (try-with-resources), so an embedded H2 file is locked only briefly and
 * the daemon and the CLI can take turns with it.
 */
public final class BaselineStore {
  private final String url;
  private final String user;
  private final String password;
  private final String schema;

  private BaselineStore(String url, String user, String password, String schema) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.schema = schema == null || schema.isBlank() ? null : schema;
  }

  /** Connects, applies pending migrations, and returns the store; throws {@link BaselineStoreException}. */
  public static BaselineStore open(String url, String user, String password, String schema) {
    BaselineStore store = new BaselineStore(normalizeH2(url), user, password, schema);
    store.migrate();
    return store;
  }

  /**
   * As {@link #open}, except that an H2 file database that does not exist yet is not created: empty then
   * (readers such as {@code analyze} and {@code health-fix} report "no baseline" instead).
   */
  public static Optional<BaselineStore> openIfExists(String url, String user, String password, String schema) {
    return isMissingH2File(url) ? Optional.empty() : Optional.of(open(url, user, password, schema));
  }

  /** True for an H2 file database URL whose file does not exist (nothing was ever recorded there). */
  public static boolean isMissingH2File(String url) {
    return H2Files.missing(normalizeH2(url));
  }

  /**
   * Opens an existing store for reading only: no migration, and an H2 file that does not exist is not
   * created ({@code IFEXISTS}). For read-only callers such as {@code run --dry-run}; a missing database
   * or table shows up as a {@link BaselineStoreException} from the first read.
   */
  public static BaselineStore openExisting(String url, String user, String password, String schema) {
    String u = normalizeH2(url);
    if (u.startsWith("jdbc:h2:") && !u.toUpperCase(java.util.Locale.ROOT).contains(";IFEXISTS=")) {
      u = u + ";IFEXISTS=TRUE";
    }
    return new BaselineStore(u, user, password, schema);
  }

  /**
   * H2 2.x refuses file paths implicitly relative to the working directory ("data/baselines"); such a
   * path (e.g. from SUTAZAI_DATA_DIR=data) is made explicit ("./data/baselines") instead of failing.
   */
  static String normalizeH2(String url) {
    String prefix = "jdbc:h2:file:";
    if (url.startsWith(prefix)) {
      String path = url.substring(prefix.length());
      boolean explicit = path.startsWith("/") || path.startsWith("./") || path.startsWith("../")
          || path.startsWith("~") || path.matches("^[A-Za-z]:.*") || path.startsWith("\\");
      if (!explicit) {
        return prefix + "./" + path;
      }
    }
    return url;
  }

  public String url() {
    return url;
  }

  private void migrate() {
    try {
      var config = Flyway.configure()
          .dataSource(url, user, password)
          .locations("classpath:db/migration")
          .connectRetries(0)
          .loggers("slf4j");
      if (schema != null) {
        config = config.schemas(schema).defaultSchema(schema).createSchemas(true);
      }
      Flyway flyway = config.load();
      try {
        flyway.migrate();
      } catch (org.flywaydb.core.api.exception.FlywayValidateException e) {
        // A start killed (kill -9, power loss) half-way through a migration on H2, whose DDL is not
        // transactional, leaves it partly applied: the next start recorded it as failed, and every later one
        // refused to start ("Detected failed migration"). The migrations may run again (IF NOT EXISTS), so
        // the history is repaired (failed entries dropped, checksums of the idempotent scripts realigned)
        // and they are applied again.
        org.slf4j.LoggerFactory.getLogger(BaselineStore.class).warn(
            "baseline database {}: repairing its migration history ({}) and migrating again", url, rootMessage(e));
        flyway.repair();
        flyway.migrate();
      }
    } catch (FlywayException e) {
      throw new BaselineStoreException("cannot open the baseline database " + url + ": " + rootMessage(e), e);
    }
  }

  /** Saves {@code b} whole (its statistics and its history) and returns it with its new id. */
  public Baseline save(Baseline b) {
    return insert(b, b.history());
  }

  /**
   * Stores a baseline being recorded: {@code b}'s row and statistics, and of its samples only {@code samples};
   * returns it with its new id. {@link #update} stores what follows.
   */
  public Baseline insert(Baseline b, Map<String, List<Point>> samples) {
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      try {
        long id;
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO baseline (created_at, duration_ms, sample_interval_ms, label, sample_count, complete,"
                + " planned_duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
            Statement.RETURN_GENERATED_KEYS)) {
          ps.setObject(1, OffsetDateTime.ofInstant(b.createdAt(), ZoneOffset.UTC));
          ps.setLong(2, b.duration().toMillis());
          ps.setLong(3, b.sampleInterval().toMillis());
          ps.setString(4, b.label());
          ps.setInt(5, b.samples());
          ps.setBoolean(6, b.complete());
          ps.setLong(7, b.plannedDuration().toMillis());
          ps.executeUpdate();
          try (ResultSet keys = ps.getGeneratedKeys()) {
            keys.next();
            id = keys.getLong("id");
          }
        }
        saveMetrics(c, id, b);
        saveHistory(c, id, samples);
        c.commit();
        return b.withId(id);
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw failure("save a baseline", e);
    }
  }

  /**
   * Stores more of the recording of baseline {@code b.id()}, in one transaction: its row (end time, duration,
   * samples, complete or not), its statistics (replaced) and the {@code newSamples} taken since the last call.
   */
  public void update(Baseline b, Map<String, List<Point>> newSamples) {
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE baseline SET created_at = ?, duration_ms = ?, sample_count = ?, complete = ? WHERE id = ?")) {
          ps.setObject(1, OffsetDateTime.ofInstant(b.createdAt(), ZoneOffset.UTC));
          ps.setLong(2, b.duration().toMillis());
          ps.setInt(3, b.samples());
          ps.setBoolean(4, b.complete());
          ps.setLong(5, b.id());
          if (ps.executeUpdate() != 1) {
            throw new SQLException("baseline " + b.id() + " is gone (deleted while it was recorded?)");
          }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM baseline_metric WHERE baseline_id = ?")) {
          ps.setLong(1, b.id());
          ps.executeUpdate();
        }
        saveMetrics(c, b.id(), b);
        saveHistory(c, b.id(), newSamples);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw failure("update baseline " + b.id(), e);
    }
  }

  private static void saveMetrics(Connection c, long id, Baseline b) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO baseline_metric (baseline_id, series, sample_count, min_value, max_value, mean_value, stddev_value,"
            + " p50_value, p90_value, p95_value, p99_value, ewma_value, warning_threshold, critical_threshold,"
            + " threshold_capped) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (MetricBaseline m : b.metrics()) {
        Summary s = m.summary();
        ps.setLong(1, id);
        ps.setString(2, m.series());
        ps.setLong(3, s.count());
        double[] v = {s.min(), s.max(), s.mean(), s.stddev(), s.p50(), s.p90(), s.p95(), s.p99(), s.ewma(),
            m.warningThreshold(), m.criticalThreshold()};
        for (int i = 0; i < v.length; i++) {
          ps.setDouble(4 + i, v[i]);
        }
        ps.setBoolean(15, m.capped());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void saveHistory(Connection c, long id, Map<String, List<Point>> history) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO baseline_sample (baseline_id, series, time_ms, sample_value) VALUES (?, ?, ?, ?)")) {
      int batched = 0;
      for (Map.Entry<String, List<Point>> e : history.entrySet()) {
        long lastTime = Long.MIN_VALUE;
        for (Point p : e.getValue()) {
          if (p.timeMillis() == lastTime) {
            continue; // one value per series and time (the primary key)
          }
          lastTime = p.timeMillis();
          ps.setLong(1, id);
          ps.setString(2, e.getKey());
          ps.setLong(3, p.timeMillis());
          ps.setDouble(4, p.value());
          ps.addBatch();
          if (++batched % 1000 == 0) {
            ps.executeBatch();
          }
        }
      }
      ps.executeBatch();
    }
  }

  /**
   * The kept samples; none when the table is missing (a database not migrated to V2, read through
   * {@link #openExisting}, which does not migrate).
   */
  private static Map<String, List<Point>> readHistory(Connection c, long id) throws SQLException {
    Map<String, List<Point>> out = new TreeMap<>();
    if (!hasTable(c, "baseline_sample")) {
      return out;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT series, time_ms, sample_value FROM baseline_sample WHERE baseline_id = ? ORDER BY series, time_ms")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getString(1), s -> new ArrayList<>()).add(new Point(rs.getLong(2), rs.getDouble(3)));
        }
      }
    }
    return out;
  }

  /**
   * {@code complete, planned_duration_ms}, or constants meaning "complete" on a database not migrated to V3
   * (read through {@link #openExisting}, which does not migrate).
   */
  private static String completeColumns(Connection c, String prefix) throws SQLException {
    var meta = c.getMetaData();
    for (String[] names : new String[][] {{"baseline", "complete"}, {"BASELINE", "COMPLETE"}}) {
      try (ResultSet rs = meta.getColumns(null, c.getSchema(), names[0], names[1])) {
        if (rs.next()) {
          return prefix + "complete, " + prefix + "planned_duration_ms";
        }
      }
    }
    return "TRUE, NULL";
  }

  private static boolean hasTable(Connection c, String table) throws SQLException {
    var meta = c.getMetaData();
    for (String name : new String[] {table, table.toUpperCase(java.util.Locale.ROOT)}) {
      try (ResultSet rs = meta.getTables(null, c.getSchema(), name, new String[] {"TABLE"})) {
        if (rs.next()) {
          return true;
        }
      }
    }
    return false;
  }

  /** Every baseline, complete or not, newest first, without its metrics. */
  public List<BaselineInfo> list() {
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT b.id, b.created_at, b.duration_ms,"
            + " b.label, b.sample_count, (SELECT COUNT(*) FROM baseline_metric m WHERE m.baseline_id = b.id) AS metric_count, "
            + completeColumns(c, "b.") + " FROM baseline b ORDER BY b.created_at DESC, b.id DESC");
        ResultSet rs = ps.executeQuery()) {
      List<BaselineInfo> out = new ArrayList<>();
      while (rs.next()) {
        out.add(new BaselineInfo(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
            Duration.ofMillis(rs.getLong(3)), rs.getString(4), rs.getInt(5), rs.getInt(6), rs.getBoolean(7),
            plannedDuration(rs, 8, 3)));
      }
      return out;
    } catch (SQLException e) {
      throw failure("list baselines", e);
    }
  }

  /**
   * The newest complete baseline, if any: what right-sizing, health-fix and the dashboard go by. A recording
   * in progress or interrupted is left out ({@link #latestOrIncomplete}).
   */
  public Optional<Baseline> latest() {
    return list().stream().filter(BaselineInfo::complete).findFirst().flatMap(i -> get(i.id()));
  }

  /**
   * The newest complete baseline or, when there is none, the newest incomplete one (which says so:
   * {@link Baseline#incompleteNote()}); for {@code analyze}, which reports what there is.
   */
  public Optional<Baseline> latestOrIncomplete() {
    List<BaselineInfo> all = list();
    Optional<BaselineInfo> pick = all.stream().filter(BaselineInfo::complete).findFirst();
    return (pick.isPresent() ? pick : all.stream().findFirst()).flatMap(i -> get(i.id()));
  }

  private static Duration plannedDuration(ResultSet rs, int planned, int recorded) throws SQLException {
    long ms = rs.getLong(planned);
    return Duration.ofMillis(rs.wasNull() ? rs.getLong(recorded) : ms);
  }

  /** One baseline with its metrics, or empty when no baseline has that id. */
  public Optional<Baseline> get(long id) {
    try (Connection c = connect()) {
      Baseline head;
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT created_at, duration_ms, sample_interval_ms, label, sample_count, " + completeColumns(c, "")
              + " FROM baseline WHERE id = ?")) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          head = new Baseline(id, rs.getObject(1, OffsetDateTime.class).toInstant(), Duration.ofMillis(rs.getLong(2)),
              Duration.ofMillis(rs.getLong(3)), rs.getString(4), rs.getInt(5), List.of(), Map.of(), rs.getBoolean(6),
              plannedDuration(rs, 7, 2));
        }
      }
      List<MetricBaseline> metrics = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT series, sample_count, min_value, max_value, mean_value, stddev_value, p50_value, p90_value, p95_value,"
              + " p99_value, ewma_value, warning_threshold, critical_threshold, threshold_capped"
              + " FROM baseline_metric WHERE baseline_id = ? ORDER BY series")) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Summary s = new Summary(rs.getLong(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5), rs.getDouble(6),
                rs.getDouble(7), rs.getDouble(8), rs.getDouble(9), rs.getDouble(10), rs.getDouble(11));
            metrics.add(new MetricBaseline(rs.getString(1), s, rs.getDouble(12), rs.getDouble(13), rs.getBoolean(14)));
          }
        }
      }
      return Optional.of(new Baseline(id, head.createdAt(), head.duration(), head.sampleInterval(), head.label(),
          head.samples(), metrics, readHistory(c, id), head.complete(), head.plannedDuration()));
    } catch (SQLException e) {
      throw failure("read baseline " + id, e);
    }
  }

  private Connection connect() throws SQLException {
    Connection c = DriverManager.getConnection(url, user, password);
    if (schema != null) {
      c.setSchema(schema);
    }
    return c;
  }

  private BaselineStoreException failure(String what, SQLException e) {
    return new BaselineStoreException("cannot " + what + " in " + url + ": " + rootMessage(e), e);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = Concurrency.rootCause(e);
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
  }
}
