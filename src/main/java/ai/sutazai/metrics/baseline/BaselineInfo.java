package ai.sutazai.metrics.baseline;

import java.time.Duration;
import java.time.Instant;

/** One line of {@code baseline list}. */
public record BaselineInfo(long id, Instant createdAt, Duration duration, String label, int samples, int metrics) {}
