package ai.sutazai.supervisor.healthfix;

/**
 * A labelled volume or network that no container uses: a --prune candidate.
 *
 * @param kind {@link Fix.Kind#REMOVE_VOLUME} or {@link Fix.Kind#REMOVE_NETWORK}
 * @param id volume name or network id
 * @param fleet its sutazai.fleet label (may be null)
 */
public record UnusedResource(Fix.Kind kind, String id, String name, String fleet) {}
