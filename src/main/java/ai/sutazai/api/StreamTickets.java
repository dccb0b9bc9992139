package ai.sutazai.api;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Short-lived single-use tickets for the event stream. Browsers' EventSource cannot send an Authorization
 * header; putting the token itself in the URL would leave it in access logs, history and (on an unencrypted
 * loopback) in any capture. The dashboard instead asks, with its token, for a ticket that opens one stream
 * within {@link #VALIDITY} and is worth nothing after. Hazard: the map is bounded ({@link #MAX_OPEN}) so that
 * a caller with a token cannot fill the heap with unused tickets.
 */
final class StreamTickets {
  static final Duration VALIDITY = Duration.ofSeconds(30);
  static final int MAX_OPEN = 1_000;

  private record Issued(Auth.Principal principal, long expiresAtMillis) {}

  private final Map<String, Issued> open = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;

  StreamTickets(Clock clock) {
    this.clock = clock;
  }

  /** A new ticket for {@code principal}; empty when too many are open. */
  Optional<String> issue(Auth.Principal principal) {
    long now = clock.millis();
    if (open.size() >= MAX_OPEN) {
      purge(now);
      if (open.size() >= MAX_OPEN) {
        return Optional.empty();
      }
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    open.put(ticket, new Issued(principal, now + VALIDITY.toMillis()));
    return Optional.of(ticket);
  }

  /** The principal the ticket was issued to, once: the ticket is gone afterwards, used or expired. */
  Optional<Auth.Principal> redeem(String ticket) {
    Issued issued = ticket == null ? null : open.remove(ticket);
    if (issued == null || issued.expiresAtMillis() < clock.millis()) {
      return Optional.empty();
    }
    return Optional.of(issued.principal());
  }

  private void purge(long now) {
    for (Iterator<Issued> it = open.values().iterator(); it.hasNext(); ) {
      if (it.next().expiresAtMillis() < now) {
        it.remove();
      }
    }
  }
}
