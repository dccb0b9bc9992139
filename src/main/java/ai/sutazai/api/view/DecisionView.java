package ai.sutazai.api.view;

import java.time.Instant;

/**
 * One scaling decision of a pool, as journalled with its reason.
 *
 * @param pool the pool that decided
 * @param kind what was decided: QUEUED, ADMITTED, REJECTED, STOPPED, IDLE_STOPPED, PREEMPTED, RELEASED,
 *     ADOPTED, QUOTA_CHANGED or RESIZED
 * @param agent the agent it concerns; empty for a quota change
 * @param reason the decision in words, e.g. "stopped researcher-7: idle 10m"
 * @param time when it was decided
 */
public record DecisionView(String pool, String kind, String agent, String reason, Instant time) {}
