package ai.sutazai.metrics;

import ai.sutazai.metrics.stats.CollectorSeries;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HWDiskStore;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;
import oshi.software.os.OSFileStore;
import oshi.util.Memoizer;

/**
 * Host sampler on OSHI: CPU, load average, memory, swap, local file systems, disks and network.
 *
 * <p>Enumerating file systems, disks and network interfaces walks /proc and /sys and is far more costly
 * than reading their counters, so the lists are memoized for {@code deviceRefresh}; each sample only
 * refreshes the counters of the devices already known.
 */
public final class OshiHostSampler extends AbstractHostSampler {
  private final CentralProcessor processor;
  private final GlobalMemory memory;
  private final Supplier<List<OSFileStore>> fileStores;
  private final Supplier<List<HWDiskStore>> disks;
  private final Supplier<List<NetworkIF>> networks;
  private long[] previousTicks;

  public OshiHostSampler(Duration deviceRefresh) {
    super(System::nanoTime);
    SystemInfo info = new SystemInfo();
    HardwareAbstractionLayer hal = info.getHardware();
    this.processor = hal.getProcessor();
    this.memory = hal.getMemory();
    long ttl = deviceRefresh.toNanos();
    this.fileStores = Memoizer.memoize(() -> info.getOperatingSystem().getFileSystem().getFileStores(true), ttl);
    this.disks = Memoizer.memoize(hal::getDiskStores, ttl);
    this.networks = Memoizer.memoize(() -> hal.getNetworkIFs(false), ttl);
  }

  @Override
  protected void readGauges(Map<String, Double> out) {
    int cores = processor.getLogicalProcessorCount();
    out.put(CollectorSeries.HOST_CPU_CORES, (double) cores);
    long[] ticks = processor.getSystemCpuLoadTicks();
    if (previousTicks != null) {
      // Busy share of all CPUs between this sample and the previous one.
      out.put(CollectorSeries.HOST_CPU_PERCENT, 100.0 * processor.getSystemCpuLoadBetweenTicks(previousTicks));
    }
    previousTicks = ticks;

    double[] load = processor.getSystemLoadAverage(3);
    if (load[0] >= 0) { // negative: the platform has no load average
      out.put(CollectorSeries.HOST_LOAD1, load[0]);
      out.put(CollectorSeries.HOST_LOAD5, load[1]);
      out.put(CollectorSeries.HOST_LOAD15, load[2]);
      out.put(CollectorSeries.HOST_LOAD1_PER_CORE, load[0] / Math.max(1, cores));
    }

    long total = memory.getTotal();
    long available = memory.getAvailable();
    out.put(CollectorSeries.HOST_MEMORY_TOTAL_BYTES, (double) total);
    out.put(CollectorSeries.HOST_MEMORY_AVAILABLE_BYTES, (double) available);
    out.put(CollectorSeries.HOST_MEMORY_USED_BYTES, (double) (total - available));
    if (total > 0) {
      out.put(CollectorSeries.HOST_MEMORY_UTILISATION_RATIO, (total - available) / (double) total);
    }
    out.put(CollectorSeries.HOST_SWAP_TOTAL_BYTES, (double) memory.getVirtualMemory().getSwapTotal());
    out.put(CollectorSeries.HOST_SWAP_USED_BYTES, (double) memory.getVirtualMemory().getSwapUsed());

    long diskTotal = 0;
    long diskUsed = 0;
    for (OSFileStore fs : fileStores.get()) {
      diskTotal += fs.getTotalSpace();
      diskUsed += fs.getTotalSpace() - fs.getUsableSpace();
    }
    out.put(CollectorSeries.HOST_DISK_TOTAL_BYTES, (double) diskTotal);
    out.put(CollectorSeries.HOST_DISK_USED_BYTES, (double) diskUsed);
  }

  @Override
  protected void readCounters(Map<String, Long> out) {
    long read = 0;
    long written = 0;
    for (HWDiskStore disk : disks.get()) {
      disk.updateAttributes();
      read += disk.getReadBytes();
      written += disk.getWriteBytes();
    }
    out.put(CollectorSeries.HOST_DISK_READ_BYTES_PER_SECOND, read);
    out.put(CollectorSeries.HOST_DISK_WRITE_BYTES_PER_SECOND, written);
    long received = 0;
    long sent = 0;
    for (NetworkIF nif : networks.get()) {
      nif.updateAttributes();
      received += nif.getBytesRecv();
      sent += nif.getBytesSent();
    }
    out.put(CollectorSeries.HOST_NETWORK_RECEIVED_BYTES_PER_SECOND, received);
    out.put(CollectorSeries.HOST_NETWORK_SENT_BYTES_PER_SECOND, sent);
  }
}
