package ai.sutazai.api;

import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import akka.http.scaladsl.model.EntityStreamSizeException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Shared directives: calling the backend with a timeout, reading bounded JSON bodies, checking names. */
abstract class RouteSupport extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(RouteSupport.class);

  /** Names of agents, pools, workers and baselines: what the fleet spec and the CLI allow. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  protected final ManagementSettings settings;

  RouteSupport(ManagementSettings settings) {
    this.settings = settings;
  }

  /** Calls the backend, bounded by the request timeout; failures and timeouts become 503. */
  protected <T> CompletionStage<T> call(Supplier<CompletionStage<T>> backendCall) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      backendCall.get().whenComplete((v, e) -> {
        if (e != null) {
          result.completeExceptionally(e);
        } else if (v == null) {
          result.completeExceptionally(new IllegalStateException("backend answered null"));
        } else {
          result.complete(v);
        }
      });
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
    return result.orTimeout(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Completes with the backend's Result, rendering Ok with {@code onOk}. */
  protected <T> Route answer(Supplier<CompletionStage<Result<T>>> backendCall, Function<T, HttpResponse> onOk) {
    return completeWithFuture(call(backendCall)
        .thenApply(r -> render(r, onOk))
        .exceptionally(RouteSupport::unavailable));
  }

  static <T> HttpResponse render(Result<T> r, Function<T, HttpResponse> onOk) {
    if (r instanceof Result.Ok<T> ok) {
      return onOk.apply(ok.value());
    } else if (r instanceof Result.NotFound<T> nf) {
      return Problem.notFound("no " + nf.kind() + " named \"" + clip(nf.name()) + "\"");
    } else if (r instanceof Result.Conflict<T> c) {
      return Problem.conflict(c.reason());
    } else if (r instanceof Result.Invalid<T> inv) {
      return Problem.badRequest(inv.field(), inv.reason());
    } else if (r instanceof Result.NotImplemented<T> ni) {
      return Problem.notImplemented(ni.capability());
    }
    throw new IllegalStateException("unknown result " + r);
  }

  static HttpResponse unavailable(Throwable e) {
    Throwable cause = ai.sutazai.common.Concurrency.unwrap(e);
    if (cause instanceof TimeoutException) {
      return Problem.unavailable("the supervisor did not answer in time; try again");
    }
    if (ai.sutazai.common.JournalHealth.isUnavailable(cause)) {
      return Problem.unavailable(cause.getMessage());
    }
    log.warn("management backend call failed: {}", cause.toString());
    return Problem.unavailable("the supervisor could not answer: " + cause.getClass().getSimpleName());
  }

  /** Reads the JSON body (415 unless application/json, 413 past the size limit, 400 if unparseable). */
  protected <T> Route jsonBody(Class<T> type, Function<T, Route> inner) {
    long limit = settings.maxBodyBytes();
    return extractRequestEntity(entity -> {
      if (!entity.getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON)) {
        String got = entity.isKnownEmpty() && entity.getContentType().mediaType()
            .equals(MediaTypes.APPLICATION_OCTET_STREAM) ? "no body" : entity.getContentType().toString();
        return complete(Problem.unsupportedMediaType(got));
      }
      OptionalLong length = entity.getContentLengthOption();
      if (length.isPresent() && length.getAsLong() > limit) {
        return discard(entity, Problem.tooLarge(limit));
      }
      return extractMaterializer(mat -> onComplete(
          () -> entity.withSizeLimit(limit).toStrict(settings.requestTimeout().toMillis(), mat),
          tried -> {
            if (tried.isFailure()) {
              return complete(bodyFailure(tried.failed().get(), limit));
            }
            try {
              return inner.apply(Json.parse(tried.get().getData().toArray(), type));
            } catch (Json.BadJson e) {
              return complete(Problem.badRequest(e.field(), e.getMessage()));
            }
          }));
    });
  }

  private Route discard(HttpEntity entity, HttpResponse response) {
    return extractMaterializer(mat -> {
      entity.discardBytes(mat);
      return complete(response.addHeader(akka.http.javadsl.model.headers.Connection.create("close")));
    });
  }

  private static HttpResponse bodyFailure(Throwable e, long limit) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof EntityStreamSizeException) {
        return Problem.tooLarge(limit);
      }
    }
    return Problem.of(StatusCodes.BAD_REQUEST, "invalid-request", "could not read the request body", "body");
  }

  /** A path segment that must be a valid name; otherwise 404 without asking the backend. */
  protected Route named(String kind, String name, Supplier<Route> inner) {
    if (!NAME.matcher(name).matches()) {
      return complete(Problem.notFound("no " + kind + " named \"" + clip(name) + "\""));
    }
    return inner.get();
  }

  /** An optional integer query parameter in [min, max]; 400 naming the parameter otherwise. */
  protected static Long boundedLong(String field, String raw, long min, long max) throws Json.BadJson {
    try {
      long v = Long.parseLong(raw.trim());
      if (v < min || v > max) {
        throw new Json.BadJson(field, "query parameter \"" + field + "\" must be between " + min + " and " + max);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new Json.BadJson(field, "query parameter \"" + field + "\" must be an integer, got \"" + clip(raw) + "\"");
    }
  }

  static String clip(String s) {
    return s.length() > 100 ? s.substring(0, 100) + "..." : s;
  }

  static Duration millis(long ms) {
    return Duration.ofMillis(ms);
  }
}
