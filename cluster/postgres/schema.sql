-- Event journal, tags, snapshots and durable state of akka-persistence-jdbc 5.1.0 on PostgreSQL.
--
-- The same statements as the application's journal migrations (src/main/resources/db/journal/postgres,
-- applied by Flyway at start with history table flyway_journal_history): the plugin's
-- schema/postgres/postgres-create-schema.sql (com.lightbend.akka:akka-persistence-jdbc_2.13:5.1.0) with its
-- indexes created without CONCURRENTLY (see the migration's header). JournalSchemaFilesTest checks that the
-- statements match, and JournalSchemaTest applies both to fresh databases and compares what PostgreSQL made.
-- When a migration is added, append its statements here.
--
-- Apply with cluster/postgres/setup.sh (as the owner role, in one transaction). The statements are not all
-- idempotent (the unique index has no IF NOT EXISTS), so setup.sh applies the file only when
-- public.event_journal is missing. A node that starts with sutazai.persistence.create-schema = on over
-- tables made from this file records them in its Flyway history as version 1 (a baseline) and applies only
-- later migrations.

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
