package ai.sutazai.common;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The Prometheus registry of one actor system: every room registers its metrics here and the management
 * API's {@code /metrics} writes its exposition. Holds the standard {@code jvm_*} and {@code process_*}
 * metrics of the client library.
 *
 * <p>Hazard: a metric name may be registered only once per registry, and actors restart; rooms register
 * through {@link #once}, which returns the metric registered first under that name.
 */
public final class MetricsRegistry implements Extension {
  /** Classic histogram bucket bounds for millisecond-range latencies (probes, decisions, HTTP), seconds. */
  public static final double[] MILLIS_BUCKETS_SECONDS =
      {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  /** Classic histogram bucket bounds for second-range latencies (inference, agent responses, cold starts), seconds. */
  public static final double[] SECONDS_BUCKETS_SECONDS =
      {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Map<String, Object> metrics = new ConcurrentHashMap<>();

  private MetricsRegistry() {
    JvmMetrics.builder().register(registry);
  }

  /** A registry with the JVM metrics, outside any actor system (tests). */
  public static MetricsRegistry standalone() {
    return new MetricsRegistry();
  }

  /** The extension's id. */
  public static final class Id extends ExtensionId<MetricsRegistry> {
    @Override
    public MetricsRegistry createExtension(ActorSystem<?> system) {
      return new MetricsRegistry();
    }
  }

  private static final Id ID = new Id();

  public static MetricsRegistry get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /** The metric named {@code name}, registered by {@code create} the first time it is asked for. */
  @SuppressWarnings("unchecked")
  public <T> T once(String name, Function<PrometheusRegistry, T> create) {
    return (T) metrics.computeIfAbsent(name, n -> create.apply(registry));
  }
}
