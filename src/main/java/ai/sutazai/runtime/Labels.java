package ai.sutazai.runtime;

/** The labels every container created by this system carries; nothing else is ever touched. */
public final class Labels {
  private Labels() {}

  public static final String MANAGED = "sutazai.managed";
  public static final String FLEET = "sutazai.fleet";
  public static final String AGENT = "sutazai.agent";
  /** Hash of the agent spec the container was created from, to notice a changed spec. */
  public static final String SPEC_HASH = "sutazai.spec-hash";
  /** Cluster node that owns the container (multi-node). */
  public static final String NODE = "sutazai.node";
}
