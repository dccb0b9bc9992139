package ai.sutazai.api.view;

import java.util.List;

/**
 * One page of an agent's journal, newest event first.
 *
 * @param events at most the requested number of events, newest first
 * @param nextBefore the {@code before} value that fetches the next (older) page; null when there is none
 */
public record EventPage(List<EventView> events, Long nextBefore) {
  public EventPage {
    events = List.copyOf(events);
  }
}
