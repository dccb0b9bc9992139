package ai.sutazai.inference;

import ai.sutazai.inference.ollama.Stages;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Scheduler;
import akka.actor.typed.javadsl.AskPattern;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpMethod;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.RawHeader;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import akka.http.javadsl.model.HttpHeader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One routed request: lease a slot from the router, send the body to that worker, and stream the answer
 * back. A connection error or a 5xx status (before any body byte) gives the lease back and tries another
 * worker, at most {@code max-retries} times; once the response has begun it is never replayed, and a
 * failure becomes a final {@code {"error": ...}} line. Every lease is released exactly once: at the end of
 * the body, on failure, or when the client goes away (which also cancels the upstream request).
 */
final class ProxyCall {
  private static final Pattern EVAL_COUNT = Pattern.compile("\"eval_count\"\\s*:\\s*(\\d+)");
  private static final Pattern EVAL_DURATION = Pattern.compile("\"eval_duration\"\\s*:\\s*(\\d+)");
  private static final Pattern LOAD_DURATION = Pattern.compile("\"load_duration\"\\s*:\\s*(\\d+)");
  static final String WORKER_HEADER = "X-Sutazai-Worker";
  private static final Set<String> HOP_HEADERS = Set.of("date", "server", "connection", "keep-alive",
      "transfer-encoding", "content-length", "content-type", "x-sutazai-worker");

  private static final java.util.concurrent.atomic.AtomicLong CALL_IDS = new java.util.concurrent.atomic.AtomicLong();
  /** Ollama's 499 (not a status Akka HTTP knows). */
  private static final akka.http.javadsl.model.StatusCode CLIENT_CLOSED =
      akka.http.javadsl.model.StatusCodes.custom(499, "Client Closed Request", "", false, true);
  private final ActorRef<InferenceRouter.Command> router;
  private final Scheduler scheduler;
  private final UpstreamHttp http;
  private final InferenceSettings settings;
  private final java.util.concurrent.atomic.AtomicLong heldBytes = new java.util.concurrent.atomic.AtomicLong();

  ProxyCall(ActorRef<InferenceRouter.Command> router, Scheduler scheduler, UpstreamHttp http,
      InferenceSettings settings) {
    this.router = router;
    this.scheduler = scheduler;
    this.http = http;
    this.settings = settings;
  }

  /** What the request is, parsed once. */
  record Call(HttpMethod method, String pathAndQuery, String path, String model, String modelAsGiven,
      String agent, int priority, long deadlineNanos, ByteString body, boolean openAi,
      CompletionStage<Void> clientGone) {}

  /**
   * Sends the call, holding its body's bytes against {@code max-queued-bytes} until its answer starts (or it
   * fails): a flood of large queued bodies gets 503 instead of the heap.
   */
  CompletionStage<HttpResponse> run(Call call) {
    long size = call.body().size();
    long held = heldBytes.addAndGet(size);
    if (held > settings.maxQueuedBytes() && held != size) {
      heldBytes.addAndGet(-size);
      return CompletableFuture.completedFuture(RouterErrors.busy(RouterErrors.QUEUED_BYTES_FULL + " ("
          + settings.maxQueuedBytes() + " bytes, sutazai.inference.max-queued-bytes)", 1, call.openAi()));
    }
    CompletionStage<HttpResponse> answer;
    try {
      answer = attempt(call, Set.of(), 0, null);
    } catch (RuntimeException e) {
      heldBytes.addAndGet(-size);
      throw e;
    }
    return answer.whenComplete((r, err) -> heldBytes.addAndGet(-size));
  }

  /** Bytes of request bodies held now (see {@link #run}). */
  long heldBytes() {
    return heldBytes.get();
  }

  private CompletionStage<HttpResponse> attempt(Call call, Set<String> exclude, int attempt, HttpResponse fallback) {
    long remaining = Math.max(1, call.deadlineNanos() - System.nanoTime());
    Duration askTimeout = Duration.ofNanos(remaining).plusSeconds(5);
    if (call.clientGone().toCompletableFuture().isDone()) {
      return CompletableFuture.completedFuture(cancelled(call));
    }
    long callId = CALL_IDS.incrementAndGet();
    CompletableFuture<InferenceRouter.Grant> grant = Stages.plain(AskPattern.ask(router,
        replyTo -> new InferenceRouter.Acquire(callId, call.model(), call.agent(), call.priority(),
            call.deadlineNanos(), exclude, attempt > 0, replyTo), askTimeout, scheduler));
    if (!grant.isDone()) {
      // A client that leaves while its request waits in the router's queue takes it out of the queue at once.
      call.clientGone().thenRun(() -> {
        if (!grant.isDone()) {
          router.tell(new InferenceRouter.Cancel(callId));
        }
      });
    }
    return grant.thenCompose(g -> {
      if (g instanceof InferenceRouter.Granted granted) {
        if (call.clientGone().toCompletableFuture().isDone()) {
          release(granted, InferenceRouter.Result.CANCELLED, -1, System.nanoTime(), ByteString.emptyByteString());
          return CompletableFuture.completedFuture(cancelled(call));
        }
        return send(call, granted, exclude, attempt);
      }
      InferenceRouter.Rejected r = (InferenceRouter.Rejected) g;
      return CompletableFuture.completedFuture(rejected(call, r, fallback));
    });
  }

  private HttpResponse rejected(Call call, InferenceRouter.Rejected r, HttpResponse fallback) {
    return switch (r.reason()) {
      case NOT_FOUND -> RouterErrors.json(404, RouterErrors.modelNotFound(call.path(), call.modelAsGiven()),
          call.openAi());
      case QUEUE_FULL -> RouterErrors.busy(RouterErrors.QUEUE_FULL, r.retryAfterSeconds(), call.openAi());
      case DEADLINE -> RouterErrors.busy("request waited past its X-Sutazai-Deadline-Ms (or max-queue-wait) "
          + "for a free slot for model '" + call.modelAsGiven() + "'", r.retryAfterSeconds(), call.openAi());
      case UNAVAILABLE -> RouterErrors.busy("no healthy worker can serve model '" + call.modelAsGiven()
          + "' right now", r.retryAfterSeconds(), call.openAi());
      case NO_OTHER_WORKER -> fallback != null ? fallback
          : RouterErrors.json(502, "no worker could serve the request", call.openAi());
      case CANCELLED -> cancelled(call);
    };
  }

  /** What Ollama answers a client that went away (nobody reads it). */
  private static HttpResponse cancelled(Call call) {
    return HttpResponse.create().withStatus(CLIENT_CLOSED).withEntity(ContentTypes.APPLICATION_JSON,
        RouterErrors.body(499, ai.sutazai.inference.ollama.OllamaErrors.REQUEST_CANCELED, call.openAi()));
  }

  private CompletionStage<HttpResponse> send(Call call, InferenceRouter.Granted g, Set<String> exclude, int attempt) {
    long start = System.nanoTime();
    HttpRequest upstream = HttpRequest.create(g.url() + call.pathAndQuery()).withMethod(call.method())
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, call.body()));
    return http.send(upstream).handle((resp, err) -> {
      if (err != null) {
        release(g, InferenceRouter.Result.FAILED, -1, start, ByteString.emptyByteString());
        String why = "worker " + g.worker() + ": " + OllamaWorker.rootMessage(err);
        HttpResponse fb = RouterErrors.json(502, why, call.openAi());
        return retryOr(call, g, exclude, attempt, fb);
      }
      int status = resp.status().intValue();
      if (status >= 500) {
        return Stages.plain(resp.entity().toStrict(settings.probeTimeout().toMillis(), http.materializer()))
            .handle((strict, e2) -> {
          InferenceRouter.Result result = status == 503 ? InferenceRouter.Result.OVERLOADED
              : InferenceRouter.Result.FAILED;
          release(g, result, -1, start, ByteString.emptyByteString());
          HttpResponse fb = strict == null ? RouterErrors.json(status, "worker " + g.worker() + " answered " + status,
              call.openAi()) : HttpResponse.create().withStatus(status).withEntity(strict)
              .addHeader(RawHeader.create(WORKER_HEADER, g.worker()));
          for (akka.http.javadsl.model.HttpHeader h : resp.getHeaders()) {
            if (h.is("retry-after")) {
              fb = fb.addHeader(h);
            }
          }
          return retryOr(call, g, exclude, attempt, fb);
        }).thenCompose(x -> x);
      }
      return CompletableFuture.completedFuture(stream(call, g, resp, start));
    }).thenCompose(x -> x);
  }

  private CompletionStage<HttpResponse> retryOr(Call call, InferenceRouter.Granted g, Set<String> exclude,
      int attempt, HttpResponse fallback) {
    if (attempt >= settings.maxRetries()) {
      return CompletableFuture.completedFuture(fallback);
    }
    Set<String> more = new HashSet<>(exclude);
    more.add(g.worker());
    return attempt(call, Set.copyOf(more), attempt + 1, fallback);
  }

  private HttpResponse stream(Call call, InferenceRouter.Granted g, HttpResponse resp, long start) {
    HttpEntity entity = resp.entity();
    HttpResponse out = HttpResponse.create().withStatus(resp.status()).addHeaders(passedHeaders(resp))
        .addHeader(RawHeader.create(WORKER_HEADER, g.worker()));
    if (entity instanceof HttpEntity.Strict strict) {
      ByteString data = strict.getData();
      long now = System.nanoTime();
      release(g, InferenceRouter.Result.OK, now - start, start,
          data.length() > ProxyTap.TAIL_BYTES ? data.takeRight(ProxyTap.TAIL_BYTES) : data);
      return out.withEntity(strict);
    }
    boolean sse = entity.getContentType().mediaType().toString().startsWith("text/event-stream");
    AtomicBoolean done = new AtomicBoolean();
    long[] ttfb = {-1};
    ProxyTap tap = new ProxyTap(new ProxyTap.Listener() {
      @Override
      public void firstByte() {
        ttfb[0] = System.nanoTime() - start;
      }

      @Override
      public void finished(ByteString tail) {
        if (done.compareAndSet(false, true)) {
          release(g, InferenceRouter.Result.OK, ttfb[0], start, tail);
        }
      }

      @Override
      public ByteString failed(Throwable cause) {
        if (done.compareAndSet(false, true)) {
          release(g, InferenceRouter.Result.FAILED, ttfb[0], start, ByteString.emptyByteString());
        }
        String msg = "worker " + g.worker() + " failed mid-stream: " + OllamaWorker.rootMessage(cause);
        return ByteString.fromArray(RouterErrors.streamLine(msg, sse));
      }

      @Override
      public void cancelled() {
        if (done.compareAndSet(false, true)) {
          release(g, InferenceRouter.Result.CANCELLED, ttfb[0], start, ByteString.emptyByteString());
        }
      }
    });
    Source<ByteString, ?> body = entity.getDataBytes().via(tap);
    return out.withEntity(HttpEntities.createChunked(entity.getContentType(), body));
  }

  /** The worker's own headers (e.g. the simulator's marker), minus those about the connection. */
  static List<HttpHeader> passedHeaders(HttpResponse resp) {
    List<HttpHeader> out = new ArrayList<>();
    for (HttpHeader h : resp.getHeaders()) {
      if (!HOP_HEADERS.contains(h.lowercaseName())) {
        out.add(h);
      }
    }
    return out;
  }

  private void release(InferenceRouter.Granted g, InferenceRouter.Result result, long ttfbNanos, long start,
      ByteString tail) {
    long evalCount = 0;
    long evalNanos = 0;
    long loadNanos = 0;
    if (tail.length() > 0 && result == InferenceRouter.Result.OK) {
      String s = tail.decodeString(StandardCharsets.UTF_8);
      evalCount = last(EVAL_COUNT, s);
      evalNanos = last(EVAL_DURATION, s);
      loadNanos = last(LOAD_DURATION, s);
    }
    router.tell(new InferenceRouter.Release(g.leaseId(), result, ttfbNanos, System.nanoTime() - start, evalCount,
        evalNanos, loadNanos));
  }

  private static long last(Pattern p, String s) {
    Matcher m = p.matcher(s);
    long v = 0;
    while (m.find()) {
      v = Long.parseLong(m.group(1));
    }
    return v;
  }
}
