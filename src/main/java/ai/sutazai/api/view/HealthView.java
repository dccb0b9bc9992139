package ai.sutazai.api.view;

import java.util.Map;

/**
 * The supervisor's own health.
 *
 * @param live the process works (its actors answer)
 * @param ready it can do its job: journal and Docker reachable
 * @param checks the individual checks by name (for example "journal", "docker")
 */
public record HealthView(boolean live, boolean ready, Map<String, Check> checks) {
  public HealthView {
    checks = Map.copyOf(checks);
  }

  /** One check: whether it passed and a short detail. */
  public record Check(boolean ok, String detail) {}
}
