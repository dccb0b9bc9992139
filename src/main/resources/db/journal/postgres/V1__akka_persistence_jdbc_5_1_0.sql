-- The journal's tables (event_journal, event_tag, snapshot, durable_state) for akka-persistence-jdbc 5.1.0.
--
-- Origin: schema/postgres/postgres-create-schema.sql inside com.lightbend.akka:akka-persistence-jdbc_2.13:5.1.0
-- (the version in pom.xml), copied below this header with one change: its last two indexes are created
-- without CONCURRENTLY. On tables created in the same script CONCURRENTLY buys nothing, and it cannot run
-- in a transaction: without it the whole script is one transaction (all or nothing), and it cannot wait on
-- Flyway's own lock, as CREATE INDEX CONCURRENTLY does when several nodes migrate at once (flyway/flyway
-- issues 1654 and 3497). JournalSchemaFilesTest checks that it still matches the jar (CONCURRENTLY aside)
-- and that cluster/postgres/schema.sql holds the same statements.
-- Applied by Flyway at start (ai.sutazai.common.JournalSchema, history table flyway_journal_history). A
-- journal whose tables were created before (by the plugin's SchemaUtils, or by cluster/postgres/schema.sql)
-- is baselined at version 1: this script is then recorded, not run.
-- When the plugin's DDL changes, add a V2 with the difference; never edit this file.

CREATE TABLE IF NOT EXISTS public.event_journal(
  ordering BIGSERIAL,
  persistence_id VARCHAR(255) NOT NULL,
  sequence_number BIGINT NOT NULL,
  deleted BOOLEAN DEFAULT FALSE NOT NULL,

  writer VARCHAR(255) NOT NULL,
  write_timestamp BIGINT,
  adapter_manifest VARCHAR(255),

  event_ser_id INTEGER NOT NULL,
  event_ser_manifest VARCHAR(255) NOT NULL,
  event_payload BYTEA NOT NULL,

  meta_ser_id INTEGER,
  meta_ser_manifest VARCHAR(255),
  meta_payload BYTEA,

  PRIMARY KEY(persistence_id, sequence_number)
);

CREATE UNIQUE INDEX event_journal_ordering_idx ON public.event_journal(ordering);

CREATE TABLE IF NOT EXISTS public.event_tag(
    event_id BIGINT,
    tag VARCHAR(256),
    PRIMARY KEY(event_id, tag),
    CONSTRAINT fk_event_journal
      FOREIGN KEY(event_id)
      REFERENCES event_journal(ordering)
      ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS public.snapshot (
  persistence_id VARCHAR(255) NOT NULL,
  sequence_number BIGINT NOT NULL,
  created BIGINT NOT NULL,

  snapshot_ser_id INTEGER NOT NULL,
  snapshot_ser_manifest VARCHAR(255) NOT NULL,
  snapshot_payload BYTEA NOT NULL,

  meta_ser_id INTEGER,
  meta_ser_manifest VARCHAR(255),
  meta_payload BYTEA,

  PRIMARY KEY(persistence_id, sequence_number)
);

CREATE TABLE IF NOT EXISTS public.durable_state (
    global_offset BIGSERIAL,
    persistence_id VARCHAR(255) NOT NULL,
    revision BIGINT NOT NULL,
    state_payload BYTEA NOT NULL,
    state_serial_id INTEGER NOT NULL,
    state_serial_manifest VARCHAR(255),
    tag VARCHAR,
    state_timestamp BIGINT NOT NULL,
    PRIMARY KEY(persistence_id)
    );
CREATE INDEX state_tag_idx on public.durable_state (tag);
CREATE INDEX state_global_offset_idx on public.durable_state (global_offset);
