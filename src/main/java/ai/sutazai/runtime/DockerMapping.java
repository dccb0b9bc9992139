package ai.sutazai.runtime;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.CpuStatsConfig;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.MemoryStatsConfig;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.StatsConfig;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** Pure translations from docker-java's models to the runtime's records. */
final class DockerMapping {
  private DockerMapping() {}

  /** Docker's "never" timestamp ({@code 0001-01-01T00:00:00Z}) and unparseable ones become EPOCH. */
  static Instant instant(String dockerTime) {
    if (dockerTime == null || dockerTime.isEmpty() || dockerTime.startsWith("0001-")) {
      return Instant.EPOCH;
    }
    try {
      return Instant.parse(dockerTime);
    } catch (DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }

  static Map<String, String> labels(InspectContainerResponse inspect) {
    Map<String, String> labels = inspect.getConfig() == null ? null : inspect.getConfig().getLabels();
    return labels == null ? Map.of() : labels;
  }

  static boolean isManaged(Map<String, String> labels) {
    return labels != null && "true".equals(labels.get(Labels.MANAGED));
  }

  static String name(InspectContainerResponse inspect) {
    String name = inspect.getName();
    return name != null && name.startsWith("/") ? name.substring(1) : name;
  }

  static ContainerInfo info(InspectContainerResponse inspect) {
    InspectContainerResponse.ContainerState state = inspect.getState();
    HostConfig host = inspect.getHostConfig();
    String health = state == null || state.getHealth() == null || state.getHealth().getStatus() == null
        ? "none" : state.getHealth().getStatus();
    return new ContainerInfo(
        inspect.getId(),
        name(inspect),
        inspect.getConfig() == null ? "" : inspect.getConfig().getImage(),
        state == null || state.getStatus() == null ? "unknown" : state.getStatus(),
        health,
        state == null || state.getExitCodeLong() == null ? 0 : state.getExitCodeLong().intValue(),
        inspect.getRestartCount() == null ? 0 : inspect.getRestartCount(),
        instant(state == null ? null : state.getStartedAt()),
        host == null || host.getMemory() == null ? 0 : host.getMemory(),
        cpus(host),
        Map.copyOf(labels(inspect)));
  }

  /** CPU limit in cores: NanoCPUs, else quota/period, else 0 (none). */
  static double cpus(HostConfig host) {
    if (host == null) {
      return 0;
    }
    if (host.getNanoCPUs() != null && host.getNanoCPUs() > 0) {
      return host.getNanoCPUs() / 1e9;
    }
    if (host.getCpuQuota() != null && host.getCpuQuota() > 0 && host.getCpuPeriod() != null && host.getCpuPeriod() > 0) {
      return (double) host.getCpuQuota() / host.getCpuPeriod();
    }
    return 0;
  }

  /**
   * CPU use in percent of one core, computed as {@code docker stats} does: the container's CPU time
   * delta over the host's, times the number of online CPUs, times 100.
   */
  static double cpuPercent(Statistics stats) {
    CpuStatsConfig cpu = stats.getCpuStats();
    CpuStatsConfig pre = stats.getPreCpuStats();
    if (cpu == null || cpu.getCpuUsage() == null || pre == null || pre.getCpuUsage() == null) {
      return 0;
    }
    long cpuNow = nz(cpu.getCpuUsage().getTotalUsage());
    long cpuBefore = nz(pre.getCpuUsage().getTotalUsage());
    long systemNow = nz(cpu.getSystemCpuUsage());
    long systemBefore = nz(pre.getSystemCpuUsage());
    long onlineCpus = nz(cpu.getOnlineCpus());
    if (onlineCpus == 0) {
      List<Long> perCpu = cpu.getCpuUsage().getPercpuUsage();
      onlineCpus = perCpu == null ? 1 : Math.max(1, perCpu.size());
    }
    return cpuPercent(cpuNow - cpuBefore, systemNow - systemBefore, onlineCpus);
  }

  /** The container's cumulative CPU time (the cgroup's usage, nanoseconds in the engine's answer), seconds; NaN if absent. */
  static double cpuSecondsTotal(Statistics stats) {
    CpuStatsConfig cpu = stats.getCpuStats();
    if (cpu == null || cpu.getCpuUsage() == null || cpu.getCpuUsage().getTotalUsage() == null) {
      return Double.NaN;
    }
    return cpu.getCpuUsage().getTotalUsage() / 1e9;
  }

  /** The docker CLI formula on raw deltas (nanoseconds of CPU time). */
  static double cpuPercent(long containerDelta, long systemDelta, long onlineCpus) {
    if (containerDelta <= 0 || systemDelta <= 0) {
      return 0;
    }
    return (double) containerDelta / systemDelta * onlineCpus * 100.0;
  }

  /** Memory in use without the page cache, as {@code docker stats} shows it (cgroup v1 and v2). */
  static long memoryUsageBytes(Statistics stats) {
    MemoryStatsConfig memory = stats.getMemoryStats();
    if (memory == null || memory.getUsage() == null) {
      return 0;
    }
    long usage = memory.getUsage();
    StatsConfig detail = memory.getStats();
    if (detail != null) {
      if (detail.getTotalInactiveFile() != null && detail.getTotalInactiveFile() < usage) {
        return usage - detail.getTotalInactiveFile();
      }
      if (detail.getInactiveFile() != null && detail.getInactiveFile() < usage) {
        return usage - detail.getInactiveFile();
      }
    }
    return usage;
  }

  static long memoryLimitBytes(Statistics stats) {
    MemoryStatsConfig memory = stats.getMemoryStats();
    return memory == null || memory.getLimit() == null ? 0 : memory.getLimit();
  }

  /** An engine event as a {@link ContainerEvent}; the exit code comes from the "exitCode" attribute. */
  static ContainerEvent event(Event event) {
    Map<String, String> attributes = event.getActor() == null || event.getActor().getAttributes() == null
        ? Map.of() : event.getActor().getAttributes();
    String id = event.getActor() != null && event.getActor().getId() != null ? event.getActor().getId() : event.getId();
    Instant time = event.getTimeNano() != null && event.getTimeNano() > 0
        ? Instant.ofEpochSecond(0, event.getTimeNano())
        : Instant.ofEpochSecond(event.getTime() == null ? 0 : event.getTime());
    String action = event.getAction() != null ? event.getAction() : event.getStatus();
    return new ContainerEvent(id, attributes.get(Labels.AGENT), attributes.get(Labels.FLEET), action,
        parseExitCode(attributes.get("exitCode")), time);
  }

  static int parseExitCode(String value) {
    if (value == null) {
      return -1;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static long nz(Long value) {
    return value == null ? 0 : value;
  }
}
