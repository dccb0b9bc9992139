package ai.sutazai.api.view;

/** A change pushed to dashboards over Server-Sent Events ({@code GET /api/v1/events/stream}). */
public sealed interface LiveUpdate {
  /** A new host sample (SSE event "sample"). */
  record Sample(HostSample sample) implements LiveUpdate {}

  /** An agent persisted an event (SSE event "agent"); {@code agent} is its view after the event. */
  record AgentEvent(EventView event, AgentView agent) implements LiveUpdate {}

  /** An alert started ({@code firing} true) or stopped firing (SSE event "alert"). */
  record AlertChange(AlertView alert, boolean firing) implements LiveUpdate {}

  /** A pool journalled a scaling decision (SSE event "decision"). */
  record Decision(DecisionView decision) implements LiveUpdate {}
}
