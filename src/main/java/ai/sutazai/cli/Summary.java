package ai.sutazai.cli;

import ai.sutazai.supervisor.protocol.AgentPhase;
import ai.sutazai.supervisor.protocol.AgentStatus;
import ai.sutazai.supervisor.protocol.FleetStatus;
import java.io.PrintStream;

/** The table `run --mode once` prints. */
final class Summary {
  private Summary() {}

  static void print(FleetStatus status, PrintStream out) {
    out.printf("fleet %s on %s (engine %s)%n", status.fleet(), status.engine(), status.engineUp() ? "up" : "DOWN");
    out.printf("%-28s %-11s %-7s %8s  %s%n", "AGENT", "PHASE", "WANTED", "RESTARTS", "LAST");
    int healthy = 0;
    int wanted = 0;
    for (AgentStatus a : status.agents()) {
      out.printf("%-28s %-11s %-7s %8d  %s%n", a.name(), a.phase(), a.desiredActive() ? "yes" : "no", a.totalRestarts(),
          a.lastReason() == null ? "" : a.lastReason());
      if (a.desiredActive()) {
        wanted++;
        if (a.phase() == AgentPhase.HEALTHY) {
          healthy++;
        }
      }
    }
    out.printf("%d of %d wanted agents healthy%s%n", healthy, wanted, status.settled() ? "" : " (not settled: timed out)");
  }
}
