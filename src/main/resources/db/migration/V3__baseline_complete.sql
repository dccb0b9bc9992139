-- A baseline is stored while it is recorded (after every sample: its statistics and kept samples so far), so
-- an interrupted recording (Ctrl-C, SIGTERM, a crash) keeps what it recorded. Portable SQL (H2, PostgreSQL);
-- may run again (IF NOT EXISTS, see V1).
-- complete: FALSE while recording and after an interrupted recording; baselines stored before were complete.
-- planned_duration_ms: the duration asked for (duration_ms is what was recorded); NULL for older baselines.
ALTER TABLE baseline ADD COLUMN IF NOT EXISTS complete BOOLEAN DEFAULT TRUE NOT NULL;
ALTER TABLE baseline ADD COLUMN IF NOT EXISTS planned_duration_ms BIGINT;
