package ai.sutazai.metrics.alerts;

import ai.sutazai.common.CborSerializable;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Posts alert events as JSON to the configured webhooks, in order per webhook, retrying failures
 * (non-2xx or no answer) with exponential backoff: min-backoff × 2^(attempt − 1), at most max-backoff,
 * up to max-attempts. Requests go out through the JDK's asynchronous HTTP client and come back via
 * {@code pipeToSelf}, so nothing blocks this actor or the collector.
 *
 * <p>Hazard: a dead webhook must not eat memory: each webhook's queue holds at most queue-size
 * deliveries; when full, the oldest is dropped and logged.
 */
public final class WebhookNotifier extends AbstractBehavior<WebhookNotifier.Command> {

  public interface Command {}

  /** Sends {@code event} to every webhook. */
  public record Deliver(AlertEvent event) implements Command, CborSerializable {}

  /** Replies with delivery counters. */
  public record GetStats(ActorRef<Stats> replyTo) implements Command, CborSerializable {}

  /** Deliveries acknowledged with 2xx, attempts that failed, deliveries dropped (queue full or attempts exhausted). */
  public record Stats(long delivered, long failedAttempts, long dropped) implements CborSerializable {}

  private record Attempted(int webhook, int status, String error) implements Command {}

  private record Retry(int webhook) implements Command {}

  private static final class Delivery {
    final String body;
    int attempts;

    Delivery(String body) {
      this.body = body;
    }
  }

  /** Per webhook: its queue and whether a request or a retry timer is outstanding. */
  private static final class Target {
    final URI uri;
    /** What logs show of it: {@link #shown(URI)}. */
    final String shown;
    final ArrayDeque<Delivery> queue = new ArrayDeque<>();
    boolean busy;

    Target(URI uri) {
      this.uri = uri;
      this.shown = shown(uri);
    }
  }

  /**
   * A webhook URL as logs show it: scheme, host and port only. Webhook URLs carry their secret in the path
   * or query (Slack's {@code /services/T…/B…/<secret>}), so the rest never reaches a log.
   */
  static String shown(URI uri) {
    String host = uri.getHost() == null ? "?" : uri.getHost();
    return uri.getScheme() + "://" + host + (uri.getPort() >= 0 ? ":" + uri.getPort() : "") + "/…";
  }

  public static Behavior<Command> create(AlertSettings settings) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new WebhookNotifier(context, timers, settings)));
  }

  private final TimerScheduler<Command> timers;
  private final AlertSettings settings;
  private final HttpClient http;
  private final List<Target> targets = new ArrayList<>();
  private long delivered;
  private long failedAttempts;
  private long dropped;

  private WebhookNotifier(ActorContext<Command> context, TimerScheduler<Command> timers, AlertSettings settings) {
    super(context);
    this.timers = timers;
    this.settings = settings;
    this.http = HttpClient.newBuilder().connectTimeout(settings.webhookTimeout()).build();
    for (String url : settings.webhooks()) {
      targets.add(new Target(URI.create(url)));
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Deliver.class, this::onDeliver)
        .onMessage(Attempted.class, this::onAttempted)
        .onMessage(Retry.class, this::onRetry)
        .onMessage(GetStats.class, this::onGetStats)
        .build();
  }

  private Behavior<Command> onDeliver(Deliver d) {
    String body = AlertJson.render(d.event());
    for (int i = 0; i < targets.size(); i++) {
      Target t = targets.get(i);
      if (t.queue.size() >= settings.webhookQueueSize()) {
        t.queue.pollFirst();
        dropped++;
        getContext().getLog().warn("webhook {}: queue full ({}), dropped the oldest alert", t.shown, settings.webhookQueueSize());
      }
      t.queue.addLast(new Delivery(body));
      sendNext(i);
    }
    return this;
  }

  private void sendNext(int webhook) {
    Target t = targets.get(webhook);
    if (t.busy || t.queue.isEmpty()) {
      return;
    }
    t.busy = true;
    HttpRequest request = HttpRequest.newBuilder(t.uri)
        .timeout(settings.webhookTimeout())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(t.queue.peekFirst().body))
        .build();
    getContext().pipeToSelf(http.sendAsync(request, HttpResponse.BodyHandlers.discarding()), (response, failure) ->
        failure != null
            ? new Attempted(webhook, -1, String.valueOf(failure.getCause() != null ? failure.getCause() : failure))
            : new Attempted(webhook, response.statusCode(), null));
  }

  private Behavior<Command> onAttempted(Attempted a) {
    Target t = targets.get(a.webhook());
    Delivery head = t.queue.peekFirst();
    if (head == null) {
      t.busy = false;
      return this;
    }
    if (a.status() >= 200 && a.status() < 300) {
      t.queue.pollFirst();
      delivered++;
      t.busy = false;
      sendNext(a.webhook());
      return this;
    }
    failedAttempts++;
    head.attempts++;
    String why = a.error() != null ? a.error() : "HTTP " + a.status();
    if (head.attempts >= settings.webhookMaxAttempts()) {
      t.queue.pollFirst();
      dropped++;
      t.busy = false;
      getContext().getLog().error("webhook {}: giving up on an alert after {} attempts ({})", t.shown, head.attempts, why);
      sendNext(a.webhook());
      return this;
    }
    Duration delay = backoff(head.attempts, settings.webhookMinBackoff(), settings.webhookMaxBackoff());
    getContext().getLog().warn("webhook {}: attempt {} failed ({}); retrying in {}", t.shown, head.attempts, why, delay);
    timers.startSingleTimer("retry-" + a.webhook(), new Retry(a.webhook()), delay);
    return this;
  }

  private Behavior<Command> onRetry(Retry r) {
    targets.get(r.webhook()).busy = false;
    sendNext(r.webhook());
    return this;
  }

  private Behavior<Command> onGetStats(GetStats g) {
    g.replyTo().tell(new Stats(delivered, failedAttempts, dropped));
    return this;
  }

  /** min × 2^(attempt − 1), capped at max; attempt counts from 1. */
  public static Duration backoff(int attempt, Duration min, Duration max) {
    long millis = min.toMillis();
    for (int i = 1; i < attempt && millis < max.toMillis(); i++) {
      millis *= 2;
    }
    return Duration.ofMillis(Math.min(millis, max.toMillis()));
  }
}
