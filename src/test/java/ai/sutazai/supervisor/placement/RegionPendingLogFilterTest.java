package ai.sutazai.supervisor.placement;

import ai.sutazai.supervisor.placement.CapacityAllocationStrategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A deferred allocation is not reported as an error, one line per shard; real allocation failures still are. */
class RegionPendingLogFilterTest {
  @Test
  void onlyDeferredAllocationsAreDropped() {
    RegionPendingLogFilter.install();
    RegionPendingLogFilter.install(); // once per JVM, however many coordinators start
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    assertEquals(1, context.getTurboFilterList().stream().filter(f -> f instanceof RegionPendingLogFilter).count());
    Logger coordinator = context.getLogger("akka.cluster.sharding.DDataShardCoordinator");
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    coordinator.addAppender(seen);
    coordinator.setLevel(Level.DEBUG);
    try {
      coordinator.error("Agent: Shard [7] allocation failed.",
          new CapacityAllocationStrategy.RegionPending("7", "akka://sutazai@127.0.0.1:2552"));
      coordinator.error("Agent: Shard [8] allocation failed.", new IllegalStateException("something else"));
      assertEquals(1, seen.list.size());
      assertTrue(seen.list.get(0).getFormattedMessage().contains("Shard [8]"));
    } finally {
      coordinator.detachAppender(seen);
    }
  }
}
