package ai.sutazai.runtime;

/** Thrown when an operation targets a container that does not carry the managed label. */
public final class NotManagedException extends RuntimeException {
  public NotManagedException(String containerId) {
    super("container " + containerId + " is not managed by sutazai (label " + Labels.MANAGED + "=true missing); refusing to touch it");
  }
}
