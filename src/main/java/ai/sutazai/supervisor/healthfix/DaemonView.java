package ai.sutazai.supervisor.healthfix;

import ai.sutazai.fleet.AgentSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a running daemon showed health-fix through its management API: the containers it manages (those of its
 * fleet), its agents with their state and journal, and, when the fleet spec could be read, each agent's spec
 * (the current values of the keys a proposal changes).
 *
 * @param url where the daemon answers, for messages
 * @param containerIds the ids of the containers it manages ({@code GET /api/v1/containers})
 * @param agents its agents ({@code GET /api/v1/agents}, {@code .../events})
 * @param specs agent name → its spec in the fleet spec read by the command; empty when not read
 */
public record DaemonView(String url, Set<String> containerIds, List<Agent> agents, Map<String, AgentSpec> specs) {
  public DaemonView {
    containerIds = Set.copyOf(containerIds);
    agents = List.copyOf(agents);
    specs = Map.copyOf(specs);
  }

  /**
   * One agent as the daemon shows it.
   *
   * @param state the API's state name (e.g. {@code HEALTHY}, {@code CRASH_LOOP})
   * @param containerId its container, or null
   * @param lastReason the reason of its latest journal event, or null
   * @param events its journal, oldest first (the newest page the command read)
   */
  public record Agent(String name, String state, String containerId, String lastReason, List<Event> events) {
    public Agent {
      events = events == null ? List.of() : List.copyOf(events);
    }

    public boolean crashLooped() {
      return "CRASH_LOOP".equals(state);
    }
  }

  /** One journal event as the API shows it: its type (the event's class name), its account and when. */
  public record Event(String type, String reason, Instant at) {}

  /** What {@code --apply} asks of the daemon. */
  public interface Link {
    /** Clears the agent's crash loop ({@code POST /api/v1/agents/{name}/reset}); the daemon's answer, in words. */
    String reset(String agent);
  }
}
