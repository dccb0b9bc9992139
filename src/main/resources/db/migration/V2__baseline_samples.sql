-- The samples of the series a forecast needs (host memory used and total, host CPU, agents' requests),
-- kept with each baseline so that `sutazai analyze` can forecast from stored data. Portable SQL (H2, PostgreSQL);
-- may run again (IF NOT EXISTS, see V1).
-- time_ms: epoch milliseconds; sample_value: in the unit of the series (see ai.sutazai.metrics.MetricNames).
CREATE TABLE IF NOT EXISTS baseline_sample (
  baseline_id BIGINT NOT NULL REFERENCES baseline (id) ON DELETE CASCADE,
  series VARCHAR(512) NOT NULL,
  time_ms BIGINT NOT NULL,
  sample_value DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (baseline_id, series, time_ms)
);
