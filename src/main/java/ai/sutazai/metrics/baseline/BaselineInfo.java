package ai.sutazai.metrics.baseline;

import java.time.Duration;
import java.time.Instant;

/**
 * One line of {@code baseline list}.
 *
 * @param complete false while recorded and after an interrupted recording ({@link Baseline#complete()})
 * @param plannedDuration the duration asked for
 */
public record BaselineInfo(long id, Instant createdAt, Duration duration, String label, int samples, int metrics,
    boolean complete, Duration plannedDuration) {}
