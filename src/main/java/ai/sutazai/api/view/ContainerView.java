package ai.sutazai.api.view;

import java.time.Instant;

/**
 * A Docker container labelled by this system, with its latest sampled stats.
 *
 * @param id Docker container id
 * @param name container name
 * @param agent the agent it runs
 * @param image image reference
 * @param status Docker status: "created", "running", "restarting", "exited", ...
 * @param health "healthy", "unhealthy", "starting" or "none" (no probe)
 * @param restarts restarts counted by the supervisor
 * @param cpuRatio CPU use as a fraction of one core (1.0 = one full core); null when not sampled yet
 * @param memoryUsageBytes memory in use, bytes; null when not sampled yet
 * @param memoryLimitBytes memory limit, bytes; null when unlimited
 * @param startedAt when it last started; null when never started
 * @param cpuSecondsTotal CPU time used since it started, seconds (the engine's cumulative counter); null when
 *     not sampled yet or unknown
 */
public record ContainerView(
    String id,
    String name,
    String agent,
    String image,
    String status,
    String health,
    int restarts,
    Double cpuRatio,
    Long memoryUsageBytes,
    Long memoryLimitBytes,
    Instant startedAt,
    Double cpuSecondsTotal) {}
