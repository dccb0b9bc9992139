package ai.sutazai.supervisor.container;

import ai.sutazai.fleet.HealthSpec;
import ai.sutazai.runtime.ContainerRuntime;
import ai.sutazai.runtime.ExecResult;
import ai.sutazai.runtime.RuntimeUnavailableException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Runs one health probe, blocking: call it on the blocking dispatcher. http and tcp probes go to
 * 127.0.0.1 (agents use host networking); cmd probes run through the container runtime's exec.
 */
public final class Prober {
  private final ContainerRuntime runtime;
  private final HostPressure pressure;
  private final HttpClient http;

  public Prober(ContainerRuntime runtime, HostPressure pressure) {
    this.runtime = runtime;
    this.pressure = pressure;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /**
   * Outcome of one probe.
   *
   * @param healthy the probe passed
   * @param inconclusive the probe could not be run (container engine unreachable): counts neither way
   * @param durationMillis how long the probe took
   * @param timeoutMillis the timeout applied (widened under host pressure)
   */
  public record Outcome(boolean healthy, boolean inconclusive, long durationMillis, long timeoutMillis, String detail) {}

  public Outcome probe(String containerId, HealthSpec spec) {
    double factor = pressure.probeTimeoutFactor();
    Duration timeout = Duration.ofMillis((long) (spec.timeout().toMillis() * factor));
    long start = System.nanoTime();
    try {
      String failure = switch (spec.kind()) {
        case NONE -> null;
        case HTTP -> http(spec, timeout);
        case TCP -> tcp(spec, timeout);
        case CMD -> cmd(containerId, spec, timeout);
      };
      return outcome(failure == null, false, start, timeout, failure == null ? "ok" : failure);
    } catch (RuntimeUnavailableException e) {
      return outcome(false, true, start, timeout, "container engine unreachable: " + e.getMessage());
    }
  }

  private static Outcome outcome(boolean ok, boolean inconclusive, long startNanos, Duration timeout, String detail) {
    long millis = (System.nanoTime() - startNanos) / 1_000_000;
    return new Outcome(ok, inconclusive, millis, timeout.toMillis(), detail);
  }

  private String http(HealthSpec spec, Duration timeout) {
    URI uri = URI.create("http://127.0.0.1:" + spec.port() + spec.path());
    HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    try {
      HttpResponse<Void> resp = http.send(req, HttpResponse.BodyHandlers.discarding());
      int code = resp.statusCode();
      return code >= 200 && code < 400 ? null : "http " + uri + " answered " + code;
    } catch (java.net.http.HttpTimeoutException e) {
      return "http " + uri + " timed out after " + timeout.toMillis() + " ms";
    } catch (IOException e) {
      return "http " + uri + ": " + e.getClass().getSimpleName() + " " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static String tcp(HealthSpec spec, Duration timeout) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", spec.port()), (int) Math.max(1, timeout.toMillis()));
      return null;
    } catch (IOException e) {
      return "tcp 127.0.0.1:" + spec.port() + ": " + e.getMessage();
    }
  }

  private String cmd(String containerId, HealthSpec spec, Duration timeout) {
    ExecResult r = runtime.exec(containerId, spec.command(), timeout);
    if (r.timedOut()) {
      return "command " + spec.command() + " timed out after " + timeout.toMillis() + " ms";
    }
    return r.exitCode() == 0 ? null : "command " + spec.command() + " exited with " + r.exitCode();
  }
}
