package ai.sutazai.runtime;

import java.time.Instant;

/**
 * One engine event about a managed container.
 *
 * @param action engine action, e.g. die, start, stop, kill, oom, health_status: unhealthy
 * @param exitCode exit code for die events, else -1
 */
public record ContainerEvent(String containerId, String agent, String fleet, String action, int exitCode, Instant time) {}
