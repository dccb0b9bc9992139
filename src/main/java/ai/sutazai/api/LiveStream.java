package ai.sutazai.api;

import ai.sutazai.api.view.LiveUpdate;
import akka.NotUsed;
import akka.http.javadsl.marshalling.sse.EventStreamMarshalling;
import akka.http.javadsl.model.sse.ServerSentEvent;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import akka.stream.javadsl.Source;
import java.util.Map;

/**
 * {@code GET /api/v1/events/stream}: the backend's live updates as Server-Sent Events. A {@code ready}
 * event opens every stream; heartbeats (SSE comments) keep proxies from closing it.
 */
final class LiveStream extends AllDirectives {
  private final ManagementBackend backend;
  private final ManagementSettings settings;

  LiveStream(ManagementBackend backend, ManagementSettings settings) {
    this.backend = backend;
    this.settings = settings;
  }

  Route route() {
    Source<ServerSentEvent, NotUsed> events = Source.single(ServerSentEvent.create("{}", "ready"))
        .concat(backend.liveUpdates().map(LiveStream::toEvent))
        .keepAlive(settings.sseKeepAlive(), ServerSentEvent::heartbeat);
    return completeOK(events, EventStreamMarshalling.toEventStream());
  }

  static ServerSentEvent toEvent(LiveUpdate u) {
    if (u instanceof LiveUpdate.Sample s) {
      return ServerSentEvent.create(Json.string(s.sample()), "sample");
    } else if (u instanceof LiveUpdate.AgentEvent a) {
      return ServerSentEvent.create(Json.string(Map.of("event", a.event(), "agent", a.agent())), "agent");
    }
    if (u instanceof LiveUpdate.Decision d) {
      return ServerSentEvent.create(Json.string(d.decision()), "decision");
    }
    LiveUpdate.AlertChange c = (LiveUpdate.AlertChange) u;
    return ServerSentEvent.create(Json.string(Map.of("alert", c.alert(), "firing", c.firing())), "alert");
  }
}
