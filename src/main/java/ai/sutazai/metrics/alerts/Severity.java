package ai.sutazai.metrics.alerts;

/** How bad a breached rule is; OK means not breached. Ordered: OK &lt; WARNING &lt; CRITICAL. */
public enum Severity {
  OK,
  WARNING,
  CRITICAL
}
