package ai.sutazai.supervisor;

/** Host-pressure sources for code outside this package (benchmarks, simulations). */
public final class HostPressures {
  private HostPressures() {}

  /** A host never under pressure: probe timeouts are never widened. */
  public static HostPressure none() {
    return HostPressure.fixed(false, 1);
  }
}
