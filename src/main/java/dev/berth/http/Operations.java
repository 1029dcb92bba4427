package dev.berth.http;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * What operators look at: readiness, and the meters that {@code /metrics} exposes.
 *
 * @param health liveness and readiness
 * @param meters every meter of the process, in Prometheus format
 * @param requests the HTTP request meters, registered in {@code meters}
 */
public record Operations(Health health, PrometheusMeterRegistry meters, RequestMetrics requests) {

  /** Operations without health checks, on a fresh registry. */
  public static Operations standalone() {
    return over(Health.withoutChecks(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** Operations on a given registry. */
  public static Operations over(Health health, PrometheusMeterRegistry meters) {
    return new Operations(health, meters, new RequestMetrics(meters));
  }
}
