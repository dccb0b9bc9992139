package ai.sutazai.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * {@link DockerRuntime}'s container event stream: the managed containers' events (exec events, which come
 * from probes, left out), and exactly one error when the stream breaks or ends, after which nothing more
 * is delivered; the caller reconnects. Needs the client without a response timeout (the stream is silent
 * while nothing happens).
 */
final class DockerEventStream {
  private DockerEventStream() {}

  /** Subscribes; closing the result ends the subscription without an error. */
  static AutoCloseable open(DockerClient streamClient, String host, DockerErrors errors, Consumer<ContainerEvent> onEvent,
      Consumer<Throwable> onError) {
    AtomicBoolean done = new AtomicBoolean();
    ResultCallback.Adapter<Event> callback = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Event event) {
        Map<String, String> attributes = event.getActor() == null ? null : event.getActor().getAttributes();
        String action = event.getAction() == null ? "" : event.getAction();
        if (done.get() || !DockerMapping.isManaged(attributes) || action.startsWith("exec_")) {
          return; // exec events come from probes: noise for the supervisor
        }
        onEvent.accept(DockerMapping.event(event));
      }

      @Override
      public void onError(Throwable error) {
        if (done.compareAndSet(false, true)) {
          onError.accept(new RuntimeUnavailableException(
              "Docker event stream from " + host + " broke: " + DockerErrors.rootMessage(error), error));
        }
        DockerErrors.closeQuietly(this);
      }

      @Override
      public void onComplete() {
        if (done.compareAndSet(false, true)) {
          onError.accept(new RuntimeUnavailableException("Docker event stream from " + host + " ended", null));
        }
        DockerErrors.closeQuietly(this);
      }
    };
    try {
      streamClient.eventsCmd()
          .withEventTypeFilter(EventType.CONTAINER)
          .withLabelFilter(Map.of(Labels.MANAGED, "true"))
          .exec(callback);
    } catch (RuntimeException e) {
      throw errors.translate("events", "(all managed)", e);
    }
    return () -> {
      done.set(true);
      DockerErrors.closeQuietly(callback);
    };
  }
}
