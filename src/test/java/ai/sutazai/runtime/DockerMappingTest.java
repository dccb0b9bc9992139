package ai.sutazai.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class DockerMappingTest {
  @Test
  void cpuPercentFollowsTheDockerCliFormula() {
    // 0.5 s of container CPU over 2 s of host CPU time on 4 CPUs = one core fully busy = 100 %
    assertEquals(100.0, DockerMapping.cpuPercent(500_000_000L, 2_000_000_000L, 4), 1e-9);
    assertEquals(0.0, DockerMapping.cpuPercent(0, 2_000_000_000L, 4));
    assertEquals(0.0, DockerMapping.cpuPercent(10, 0, 4));
  }

  @Test
  void dockerNeverTimestampIsEpoch() {
    assertEquals(Instant.EPOCH, DockerMapping.instant("0001-01-01T00:00:00Z"));
    assertEquals(Instant.parse("2026-11-27T01:02:03.123456789Z"),
        DockerMapping.instant("2026-11-27T01:02:03.123456789Z"));
  }

  @Test
  void exitCodeAttribute() {
    assertEquals(3, DockerMapping.parseExitCode("3"));
    assertEquals(-1, DockerMapping.parseExitCode(null));
    assertEquals(-1, DockerMapping.parseExitCode("x"));
  }
}
