package ai.sutazai.api.view;

import java.time.Instant;

/**
 * One sample of the host and fleet health, as charted by the dashboard.
 *
 * @param time when it was taken
 * @param cpuRatio host CPU utilisation, 0.0 - 1.0
 * @param memoryRatio host memory utilisation, 0.0 - 1.0
 * @param memoryUsedBytes host memory in use, bytes
 * @param memoryTotalBytes host memory, bytes
 * @param load1 1-minute load average
 * @param cpuCores logical CPU cores
 * @param containerHealthRatio healthy fraction of the managed running containers, 0.0 - 1.0
 */
public record HostSample(
    Instant time,
    double cpuRatio,
    double memoryRatio,
    long memoryUsedBytes,
    long memoryTotalBytes,
    double load1,
    int cpuCores,
    double containerHealthRatio) {}
