package ai.sutazai.api.view;

import java.time.Instant;

/**
 * One persisted lifecycle event of an agent (its journal entry).
 *
 * @param agent the agent's name
 * @param seqNr the event's sequence number in the agent's journal (1, 2, ...)
 * @param time when the event was persisted
 * @param type the event's type, e.g. "ActivationRequested", "AgentBecameHealthy"
 * @param reason why it happened, human readable; may be empty
 */
public record EventView(String agent, long seqNr, Instant time, String type, String reason) {}
