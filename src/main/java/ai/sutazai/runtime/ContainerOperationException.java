package ai.sutazai.runtime;

/**
 * A container engine call failed for a reason other than "not ours" or "engine unreachable"; the
 * message names the operation and the container, e.g. {@code "start sutazai-demo-web: image not found"}.
 */
public final class ContainerOperationException extends RuntimeException {
  private final String operation;
  private final String container;

  public ContainerOperationException(String operation, String container, String reason, Throwable cause) {
    super(operation + " " + container + ": " + reason, cause);
    this.operation = operation;
    this.container = container;
  }

  /** The operation that failed: create, start, stop, remove, inspect, exec, update, stats. */
  public String operation() {
    return operation;
  }

  /** The container's name or id as the caller gave it. */
  public String container() {
    return container;
  }
}
