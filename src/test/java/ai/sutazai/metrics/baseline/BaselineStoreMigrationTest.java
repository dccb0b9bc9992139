package ai.sutazai.metrics.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.metrics.stats.Point;
import ai.sutazai.metrics.stats.Summary;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flyway migrations and the store, on embedded H2 and on the real PostgreSQL (fails when it is missing). */
class BaselineStoreMigrationTest {

  static Baseline sample() {
    return new Baseline(0, Instant.parse("2026-03-01T10:15:30.123Z"), Duration.ofMinutes(30), Duration.ofSeconds(5),
        "host-a", 360, List.of(
            new MetricBaseline("sutazai_host_load1", new Summary(360, 0.5, 9.5, 4.2, 1.1, 4.0, 6.0, 7.0, 9.0, 4.4), 6.4, 7.5, false),
            new MetricBaseline("sutazai_container_cpu_percent{agent=\"web\"}",
                new Summary(360, 0, 150, 20, 10, 18, 35, 40, 80, 21), 40, 50, true)),
        java.util.Map.of("sutazai_host_memory_used_bytes", List.of(new Point(1_000, 4.0e9), new Point(6_000, 4.1e9)),
            "sutazai_agent_requests{agent=\"web\"}", List.of(new Point(1_000, 3), new Point(6_000, 0))));
  }

  static void roundTrip(BaselineStore store) {
    Baseline saved = store.save(sample());
    assertTrue(saved.id() > 0);
    Baseline second = store.save(sample());
    assertTrue(second.id() > saved.id());
    Baseline read = store.get(saved.id()).orElseThrow();
    assertEquals(sample().withId(saved.id()).metrics().stream()
        .sorted(java.util.Comparator.comparing(MetricBaseline::series)).toList(), read.metrics());
    assertEquals(sample().createdAt(), read.createdAt());
    assertEquals(Duration.ofMinutes(30), read.duration());
    assertEquals(360, read.samples());
    assertEquals(sample().history(), read.history(), "the samples forecasts need (V2) come back in time order");
    List<BaselineInfo> list = store.list();
    assertEquals(2, list.size());
    assertEquals(2, list.get(0).metrics());
    assertFalse(store.get(9_999_999).isPresent());
    assertEquals(second.id(), store.latest().orElseThrow().id());
  }

  static void assertMigrated(Connection c, String historyTable) throws Exception {
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT \"version\", \"success\" FROM " + historyTable + " WHERE \"version\" = '1'")) {
      assertTrue(rs.next(), "V1 recorded in " + historyTable);
      assertTrue(rs.getBoolean(2));
    }
  }

  @Test
  void migratesAndStoresOnH2(@TempDir Path dir) throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("nested/baselines");
    BaselineStore store = BaselineStore.open(url, "sa", "", "");
    roundTrip(store);
    BaselineStore.open(url, "sa", "", ""); // migrating again is a no-op
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      assertMigrated(c, "\"flyway_schema_history\"");
    }
  }

  /**
   * A start killed half-way through V2 on H2 (its table created, not yet recorded), whose next start then
   * recorded V2 as failed, as versions before the idempotent migrations did: opening repairs and migrates.
   */
  @Test
  void aMigrationInterruptedByAKillAndRecordedAsFailedIsRepairedAtTheNextOpen(@TempDir Path dir) throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("killed/baselines");
    org.flywaydb.core.Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").target("1")
        .load().migrate();
    try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE baseline_sample (baseline_id BIGINT NOT NULL REFERENCES baseline (id) ON DELETE CASCADE, "
          + "series VARCHAR(512) NOT NULL, time_ms BIGINT NOT NULL, sample_value DOUBLE PRECISION NOT NULL, "
          + "PRIMARY KEY (baseline_id, series, time_ms))");
      s.execute("INSERT INTO \"flyway_schema_history\" (\"installed_rank\", \"version\", \"description\", \"type\", "
          + "\"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\") VALUES (2, '2', "
          + "'baseline samples', 'SQL', 'V2__baseline_samples.sql', 1, 'sa', 1, FALSE)");
    }
    BaselineStore store = BaselineStore.open(url, "sa", "", "");
    roundTrip(store);
    try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"success\" = FALSE")) {
      rs.next();
      assertEquals(0, rs.getInt(1), "no failed migration left in the history");
    }
  }

  @Test
  void aStoreReadWithoutMigratingThatLacksTheSamplesTableStillReadsBaselines(@TempDir Path dir) throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("v1/baselines");
    BaselineStore.open(url, "sa", "", "").save(sample());
    try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
      s.execute("DROP TABLE baseline_sample"); // as a V1-only database
    }
    Baseline read = BaselineStore.openExisting(url, "sa", "", "").latest().orElseThrow();
    assertEquals(2, read.metrics().size());
    assertTrue(read.history().isEmpty());
  }

  @Test
  void migratesAndStoresOnPostgres() throws Exception {
    String url = System.getenv("SUTAZAI_DB_URL");
    assertNotNull(url, "SUTAZAI_DB_URL is not set: start PostgreSQL with cluster/dev/postgres.sh (this test needs it)");
    String schema = "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try {
      BaselineStore store = BaselineStore.open(url, ai.sutazai.testsupport.TestDatabase.USER, ai.sutazai.testsupport.TestDatabase.password(), schema);
      roundTrip(store);
      try (Connection c = DriverManager.getConnection(url, ai.sutazai.testsupport.TestDatabase.USER, ai.sutazai.testsupport.TestDatabase.password())) {
        assertMigrated(c, schema + ".flyway_schema_history");
      }
    } finally {
      try (Connection c = DriverManager.getConnection(url, ai.sutazai.testsupport.TestDatabase.USER, ai.sutazai.testsupport.TestDatabase.password()); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  @Test
  void unreachableDatabaseSaysWhich() {
    BaselineStoreException e = assertThrows(BaselineStoreException.class,
        () -> BaselineStore.open("jdbc:postgresql://127.0.0.1:1/nothing", ai.sutazai.testsupport.TestDatabase.USER, ai.sutazai.testsupport.TestDatabase.password(), ""));
    assertTrue(e.getMessage().contains("jdbc:postgresql://127.0.0.1:1/nothing"), e.getMessage());
  }

  @Test
  void implicitlyRelativeH2PathsAreMadeExplicit() {
    assertEquals("jdbc:h2:file:./data/baselines", BaselineStore.normalizeH2("jdbc:h2:file:data/baselines"));
    assertEquals("jdbc:h2:file:./data/baselines", BaselineStore.normalizeH2("jdbc:h2:file:./data/baselines"));
    assertEquals("jdbc:h2:file:/var/lib/x", BaselineStore.normalizeH2("jdbc:h2:file:/var/lib/x"));
    assertEquals("jdbc:postgresql://h/db", BaselineStore.normalizeH2("jdbc:postgresql://h/db"));
  }
}
