package ai.sutazai.capacity;

import oshi.SystemInfo;
import oshi.hardware.HardwareAbstractionLayer;

/** The machine this runs on, through OSHI. Blocking (reads /proc or the OS's equivalents): not for actors. */
public final class HostProbe {
  private HostProbe() {}

  /** Total physical memory (bytes) and logical processors (cores) of this machine. */
  public static CapacityAnalysis.Host detect() {
    HardwareAbstractionLayer hw = new SystemInfo().getHardware();
    return new CapacityAnalysis.Host(hw.getMemory().getTotal(), hw.getProcessor().getLogicalProcessorCount(), "detected");
  }
}
