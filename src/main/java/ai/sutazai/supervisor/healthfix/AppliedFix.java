package ai.sutazai.supervisor.healthfix;

import java.time.Instant;

/**
 * The outcome of applying one {@link Fix}; what the supervisor's journal records.
 *
 * @param ok whether the fix was applied
 * @param outcome what happened, in words (the error's message when not ok)
 * @param containerIdAfter the container's id afterwards (a new one after a recreate; null for volumes,
 *     networks and removed containers)
 * @param at when it was applied
 */
public record AppliedFix(Fix fix, boolean ok, String outcome, String containerIdAfter, Instant at) {}
