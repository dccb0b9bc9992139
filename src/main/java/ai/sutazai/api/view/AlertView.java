package ai.sutazai.api.view;

import java.time.Instant;

/**
 * An alert that is firing.
 *
 * @param id stable id of this firing
 * @param rule the threshold rule, e.g. "host_memory_utilisation"
 * @param severity "warning" or "critical"
 * @param subject what it is about: "host", or an agent or container name
 * @param value the observed value, in the rule's unit
 * @param threshold the threshold crossed, same unit
 * @param since when it started firing
 * @param message human-readable summary
 */
public record AlertView(
    String id,
    String rule,
    String severity,
    String subject,
    double value,
    double threshold,
    Instant since,
    String message) {}
