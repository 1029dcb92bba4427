package dev.berth.cli;

import dev.berth.registry.Registry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;

/** Builds the process's meter registry with the JVM, process and cache meters. */
final class Metrics {
  private Metrics() {}

  /** A Prometheus registry with JVM memory, GC, threads, classes, CPU, uptime and file handles. */
  static PrometheusMeterRegistry create() {
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ClassLoaderMetrics().bindTo(meters);
    new JvmMemoryMetrics().bindTo(meters);
    new JvmThreadMetrics().bindTo(meters);
    new ProcessorMetrics().bindTo(meters);
    new UptimeMetrics().bindTo(meters);
    new FileDescriptorMetrics().bindTo(meters);
    return meters;
  }

  /**
   * Binds the meters that need the running registry: the manifest cache's hits and misses, and GC
   * pauses (whose listener must be removed at shutdown, hence the returned handle).
   */
  static AutoCloseable bind(PrometheusMeterRegistry meters, Registry registry) {
    var cache = registry.manifests().cache();
    for (String result : List.of("hit", "miss")) {
      FunctionCounter.builder(
              "berth.cache.requests", cache, c -> result.equals("hit") ? c.hits() : c.misses())
          .description("Manifest cache lookups by result")
          .tag("cache", "manifest")
          .tag("result", result)
          .register(meters);
    }
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(meters);
    return gc;
  }
}
