package ai.sutazai.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.supervisor.protocol.AgentEvent;
import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.persistence.jdbc.testkit.javadsl.SchemaUtils;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The journal's tables through Flyway ({@link JournalSchema}) on H2 and on the PostgreSQL of SUTAZAI_DB_URL
 * (fails, never skips, without it): a fresh database gets version 1, a second start changes nothing, and a
 * journal whose tables were made the old way (the plugin's SchemaUtils) is baselined with its events kept
 * and replayed.
 */
class JournalSchemaTest {

  private static final PersistenceId ID = PersistenceId.of("JournalSchemaTest", "agent");

  @Test
  void migratesAFreshH2JournalOnceAndItWorks() throws Exception {
    Config config = h2Config(Files.createTempDirectory("journal-schema"));
    JournalSchema.Outcome first = JournalSchema.migrate(config);
    assertEquals(new JournalSchema.Outcome("h2", false, 1, "1"), first);
    JournalSchema.Outcome again = JournalSchema.migrate(config);
    assertEquals(0, again.applied(), "a second start applies nothing");
    assertEquals(List.of("event_journal", "event_tag", "flyway_journal_history", "snapshot", "durable_state").stream()
        .sorted().toList(), h2Tables(config));
    assertEquals(List.of("1|SQL|true"), history(config));
    writeThenReplay(config, 1);
  }

  @Test
  void anH2JournalMadeBySchemaUtilsIsBaselinedAndReplayed() throws Exception {
    Config config = h2Config(Files.createTempDirectory("journal-legacy"));
    legacyJournalWithEvents(config);
    JournalSchema.Outcome outcome = JournalSchema.migrate(config);
    assertTrue(outcome.baselined(), "existing tables without a history are baselined");
    assertEquals(0, outcome.applied(), "the plugin's DDL must not run again over existing tables");
    assertEquals(List.of("1|BASELINE|true"), history(config));
    assertEquals(4, replay(config).size(), "the events written before the migration are replayed");
    writeThenReplay(config, 5);
  }

  @Test
  void aPostgresJournalMadeBySchemaUtilsIsBaselinedAndReplayed() throws Exception {
    try (FreshDatabase db = new FreshDatabase()) {
      Config config = postgresConfig(db.url);
      legacyJournalWithEvents(config);
      JournalSchema.Outcome outcome = JournalSchema.migrate(config);
      assertEquals(new JournalSchema.Outcome("postgres", true, 0, "1"), outcome);
      assertEquals(List.of("1|BASELINE|true"), history(config));
      assertEquals(4, replay(config).size(), "the events written before the migration are replayed");
      writeThenReplay(config, 5);
    }
  }

  /** cluster/postgres/schema.sql, applied as setup.sh does, makes exactly what the migrations make. */
  @Test
  void postgresMigrationsMakeWhatClusterPostgresSchemaMakes() throws Exception {
    try (FreshDatabase migrated = new FreshDatabase(); FreshDatabase scripted = new FreshDatabase()) {
      Config config = postgresConfig(migrated.url);
      assertEquals(new JournalSchema.Outcome("postgres", false, 1, "1"), JournalSchema.migrate(config));
      assertEquals(0, JournalSchema.migrate(config).applied());
      try (Connection c = scripted.connect(); Statement s = c.createStatement()) {
        for (String statement : JournalSchemaFilesTest.statements(Files.readString(Path.of("cluster/postgres/schema.sql")))) {
          s.execute(statement);
        }
      }
      try (Connection a = migrated.connect(); Connection b = scripted.connect()) {
        List<String> fromMigrations = catalog(a);
        assertTrue(fromMigrations.size() > 40, "the catalog query sees the journal's tables: " + fromMigrations);
        assertEquals(catalog(b), fromMigrations, "cluster/postgres/schema.sql and db/journal/postgres differ");
      }
      // A journal made from schema.sql (setup.sh) is taken over by a node as one made by SchemaUtils.
      JournalSchema.Outcome taken = JournalSchema.migrate(postgresConfig(scripted.url));
      assertEquals(new JournalSchema.Outcome("postgres", true, 0, "1"), taken);
    }
  }

  // ---- the old way and the journal at work ----------------------------------------------------------------

  /** Tables created the way earlier versions did (the plugin's testkit SchemaUtils), with four events in them. */
  private static void legacyJournalWithEvents(Config config) throws Exception {
    ActorTestKit kit = ActorTestKit.create("legacy", config);
    try {
      SchemaUtils.createIfNotExists(kit.system()).toCompletableFuture().get(60, TimeUnit.SECONDS);
      write(kit, 4);
    } finally {
      kit.shutdownTestKit();
    }
  }

  /** Writes one more event, then a new actor system replays {@code expectedAfter} events: the journal works on. */
  private static void writeThenReplay(Config config, int expectedAfter) {
    ActorTestKit kit = ActorTestKit.create("writer", config);
    try {
      write(kit, 1);
    } finally {
      kit.shutdownTestKit();
    }
    assertEquals(expectedAfter, replay(config).size());
  }

  private static void write(ActorTestKit kit, int events) {
    ActorRef<Log.Command> log = kit.spawn(new Log(ID));
    TestProbe<Done> done = kit.createTestProbe();
    List<AgentEvent> batch = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      batch.add(new AgentEvent.ActivationRequested("journal schema test " + i, Instant.now()));
    }
    log.tell(new Log.Write(batch, done.getRef()));
    done.receiveMessage(Duration.ofSeconds(60));
  }

  /** The events of {@link #ID}, as a new actor system recovers them from the journal. */
  private static List<AgentEvent> replay(Config config) {
    ActorTestKit kit = ActorTestKit.create("replay", config);
    try {
      ActorRef<Log.Command> log = kit.spawn(new Log(ID));
      TestProbe<List<AgentEvent>> events = kit.createTestProbe();
      log.tell(new Log.Read(events.getRef()));
      return events.receiveMessage(Duration.ofSeconds(60));
    } finally {
      kit.shutdownTestKit();
    }
  }

  /** An event-sourced actor whose state is the list of its events. */
  static final class Log extends EventSourcedBehavior<Log.Command, AgentEvent, List<AgentEvent>> {
    interface Command {}

    record Write(List<AgentEvent> events, ActorRef<Done> replyTo) implements Command {}

    record Read(ActorRef<List<AgentEvent>> replyTo) implements Command {}

    Log(PersistenceId id) {
      super(id);
    }

    @Override
    public List<AgentEvent> emptyState() {
      return List.of();
    }

    @Override
    public CommandHandler<Command, AgentEvent, List<AgentEvent>> commandHandler() {
      return newCommandHandlerBuilder().forAnyState()
          .onCommand(Write.class, (s, w) -> Effect().persist(w.events()).thenReply(w.replyTo(), x -> Done.getInstance()))
          .onCommand(Read.class, (s, r) -> Effect().reply(r.replyTo(), s))
          .build();
    }

    @Override
    public EventHandler<List<AgentEvent>, AgentEvent> eventHandler() {
      return (s, e) -> {
        List<AgentEvent> next = new ArrayList<>(s);
        next.add(e);
        return List.copyOf(next);
      };
    }
  }

  // ---- databases ----------------------------------------------------------------------------------------

  private static Config h2Config(Path dataDir) {
    return Settings.load(null, ConfigFactory.parseMap(Map.of("sutazai.data-dir", dataDir.toString(),
        "sutazai.persistence.db", "h2", "akka.actor.provider", "local")));
  }

  private static Config postgresConfig(String url) {
    Map<String, Object> o = new HashMap<>();
    o.put("sutazai.persistence.db", "postgres");
    o.put("sutazai.persistence.postgres.url", url);
    o.put("sutazai.persistence.postgres.user", "sutazai");
    o.put("sutazai.persistence.postgres.password", ai.sutazai.testsupport.TestDatabase.password());
    o.put("akka.actor.provider", "local");
    return Settings.load(null, ConfigFactory.parseMap(o));
  }

  private static Connection connect(Config config) throws SQLException {
    Config db = config.getConfig("akka-persistence-jdbc.shared-databases." + config.getString("sutazai.persistence.db") + ".db");
    return DriverManager.getConnection(db.getString("url"), db.getString("user"), db.getString("password"));
  }

  private static List<String> h2Tables(Config config) throws SQLException {
    return rows(config, "select table_name from information_schema.tables where table_schema = 'PUBLIC' order by 1");
  }

  /** The journal's Flyway history: version|type|success per versioned row. */
  private static List<String> history(Config config) throws SQLException {
    return rows(config, "select \"version\", \"type\", \"success\" from \"" + JournalSchema.HISTORY_TABLE
        + "\" where \"version\" is not null order by \"installed_rank\"");
  }

  private static List<String> rows(Config config, String sql) throws SQLException {
    try (Connection c = connect(config)) {
      return rows(c, sql);
    }
  }

  private static List<String> rows(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        List<String> cols = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          cols.add(String.valueOf(rs.getObject(i)));
        }
        out.add(String.join("|", cols));
      }
    }
    return out;
  }

  /** Columns, indexes, constraints and sequences of schema public, Flyway's history left out. */
  private static List<String> catalog(Connection c) throws SQLException {
    List<String> all = new ArrayList<>();
    all.addAll(rows(c, "select table_name, column_name, ordinal_position, data_type, character_maximum_length,"
        + " is_nullable, column_default from information_schema.columns where table_schema = 'public'"
        + " and table_name <> '" + JournalSchema.HISTORY_TABLE + "' order by 1, 3"));
    all.addAll(rows(c, "select tablename, indexname, indexdef from pg_indexes where schemaname = 'public'"
        + " and tablename <> '" + JournalSchema.HISTORY_TABLE + "' order by 1, 2"));
    all.addAll(rows(c, "select conrelid::regclass::text, conname, pg_get_constraintdef(oid) from pg_constraint"
        + " where connamespace = 'public'::regnamespace and conrelid::regclass::text <> '"
        + JournalSchema.HISTORY_TABLE + "' order by 1, 2"));
    all.addAll(rows(c, "select sequence_name, data_type from information_schema.sequences"
        + " where sequence_schema = 'public' order by 1"));
    return all;
  }

  /** A database of its own on the PostgreSQL of SUTAZAI_DB_URL (role sutazai may create databases), dropped after. */
  private static final class FreshDatabase implements AutoCloseable {
    private final String admin;
    private final String name = "journal_schema_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    final String url;

    FreshDatabase() throws SQLException {
      String base = System.getenv("SUTAZAI_DB_URL");
      assertNotNull(base, "SUTAZAI_DB_URL is not set: start PostgreSQL with cluster/dev/postgres.sh (this test needs it)");
      admin = base;
      int slash = base.lastIndexOf('/');
      int query = base.indexOf('?', slash);
      url = base.substring(0, slash + 1) + name + (query < 0 ? "" : base.substring(query));
      try (Connection c = DriverManager.getConnection(admin, ai.sutazai.testsupport.TestDatabase.USER, ai.sutazai.testsupport.TestDatabase.password()); Statement s = c.createStatement()) {
        s.execute("create database " + name + " owner sutazai");
      }
    }

    Connection connect() throws SQLException {
      return DriverManager.getConnection(url, ai.sutazai.testsupport.TestDatabase.USER, ai.sutazai.testsupport.TestDatabase.password());
    }

    @Override
    public void close() throws SQLException {
      try (Connection c = DriverManager.getConnection(admin, ai.sutazai.testsupport.TestDatabase.USER, ai.sutazai.testsupport.TestDatabase.password()); Statement s = c.createStatement()) {
        s.execute("drop database if exists " + name + " with (force)");
      }
    }
  }
}
