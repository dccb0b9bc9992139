package ai.sutazai.supervisor.placement;

import ai.sutazai.supervisor.placement.CapacityAllocationStrategy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Marker;

/**
 * Drops the shard coordinator's "allocation failed" error for an allocation that
 * {@link CapacityAllocationStrategy} deferred on purpose ({@link CapacityAllocationStrategy.RegionPending}):
 * at a cluster's start there would be one per shard and retry. The strategy logs the wait once itself.
 */
public final class RegionPendingLogFilter extends TurboFilter {
  private static final AtomicBoolean INSTALLED = new AtomicBoolean();

  /** Installs the filter in logback, once per JVM (no-op under another SLF4J backend). */
  public static void install() {
    if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof LoggerContext context && INSTALLED.compareAndSet(false, true)) {
      RegionPendingLogFilter filter = new RegionPendingLogFilter();
      filter.setName("sutazai-region-pending");
      filter.start();
      context.addTurboFilter(filter);
    }
  }

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    return t instanceof CapacityAllocationStrategy.RegionPending ? FilterReply.DENY : FilterReply.NEUTRAL;
  }
}
