package ai.sutazai.api;

/**
 * The outcome of a {@link ManagementBackend} call. Each kind maps to one HTTP answer: {@link Ok} to 200
 * (or 202 where the route says so), {@link NotFound} to 404, {@link Conflict} to 409, {@link Invalid} to
 * 400 and {@link NotImplemented} to 501, always with an {@code application/problem+json} body.
 * A failed CompletionStage (timeout, actor gone) becomes 503.
 */
public sealed interface Result<T> {

  /** Success, with the value to return. */
  record Ok<T>(T value) implements Result<T> {}

  /**
   * The named thing does not exist.
   *
   * @param kind "agent", "pool", "worker" or "baseline"
   * @param name the name (or id) that was asked for
   */
  record NotFound<T>(String kind, String name) implements Result<T> {}

  /** The request contradicts the current state, e.g. activating an agent parked in CrashLoop. */
  record Conflict<T>(String reason) implements Result<T> {}

  /** A value the client sent is not acceptable; {@code field} names it as the client spelled it. */
  record Invalid<T>(String field, String reason) implements Result<T> {}

  /** The capability behind this call is not built (yet); {@code capability} names it. */
  record NotImplemented<T>(String capability) implements Result<T> {}

  /** This result with an Ok value transformed by {@code f}; the other kinds pass through unchanged. */
  default <U> Result<U> map(java.util.function.Function<T, U> f) {
    if (this instanceof Ok<T> ok) {
      return new Ok<>(f.apply(ok.value()));
    } else if (this instanceof NotFound<T> nf) {
      return new NotFound<>(nf.kind(), nf.name());
    } else if (this instanceof Conflict<T> c) {
      return new Conflict<>(c.reason());
    } else if (this instanceof Invalid<T> inv) {
      return new Invalid<>(inv.field(), inv.reason());
    }
    return new NotImplemented<>(((NotImplemented<T>) this).capability());
  }

  static <T> Result<T> ok(T value) {
    return new Ok<>(value);
  }

  static <T> Result<T> notFound(String kind, String name) {
    return new NotFound<>(kind, name);
  }

  static <T> Result<T> conflict(String reason) {
    return new Conflict<>(reason);
  }

  static <T> Result<T> invalid(String field, String reason) {
    return new Invalid<>(field, reason);
  }

  static <T> Result<T> notImplemented(String capability) {
    return new NotImplemented<>(capability);
  }
}
