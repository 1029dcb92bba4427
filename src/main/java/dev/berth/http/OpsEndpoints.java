package dev.berth.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The operator endpoints, answered without authentication: {@code /healthz} (liveness), {@code
 * /readyz} (readiness), {@code /debug/health} (registry:2's JSON of failing checks) and the
 * Prometheus metrics.
 */
final class OpsEndpoints {
  static final String HEALTHZ = "/healthz";
  static final String READYZ = "/readyz";
  static final String DEBUG_HEALTH = "/debug/health";
  static final String METRICS = "/metrics";

  /** The Prometheus text exposition format. */
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private static final String TEXT = "text/plain; charset=utf-8";

  private final Operations operations;

  OpsEndpoints(Operations operations) {
    this.operations = operations;
  }

  /** {@code /healthz}: the process serves. */
  void liveness(Response response, Callback callback) {
    send(response, callback, 200, TEXT, "ok\n");
  }

  /** {@code /readyz}: 200 while ready, 503 with the reason otherwise. */
  void readiness(Response response, Callback callback) {
    Optional<String> reason = operations.health().notReadyReason();
    if (reason.isPresent()) {
      send(response, callback, 503, TEXT, "not ready: " + reason.get() + "\n");
    } else {
      send(response, callback, 200, TEXT, "ready\n");
    }
  }

  /** {@code /debug/health}: {@code {}} with 200, or the failing checks with 503. */
  void debugHealth(Response response, Callback callback) {
    Map<String, String> failing = operations.health().failingChecks();
    send(
        response,
        callback,
        failing.isEmpty() ? 200 : 503,
        "application/json; charset=utf-8",
        new String(Json.write(failing), StandardCharsets.UTF_8));
  }

  /** The Prometheus scrape. */
  void metrics(Response response, Callback callback) {
    send(response, callback, 200, PROMETHEUS_TEXT, operations.meters().scrape());
  }

  private static void send(
      Response response, Callback callback, int status, String contentType, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, (long) bytes.length);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }
}
