package dev.berth.http;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers {@code /healthz}, {@code /readyz} and {@code /metrics} on the registry's port before the
 * distribution API sees the request, so probes and scrapes need no authentication and never count
 * as registry traffic. Metrics are on the main port because Kubernetes scrapes the pod's port;
 * registry:2 serves them on the debug port only, which Berth does as well.
 */
final class OpsHandler extends Handler.Wrapper {
  private final OpsEndpoints endpoints;

  OpsHandler(Operations operations, Handler registry) {
    super(registry);
    this.endpoints = new OpsEndpoints(operations);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    // Only short paths can match: the check keeps the cost for /v2/ requests to one comparison.
    if (path.length() <= OpsEndpoints.HEALTHZ.length() && isRead(request)) {
      switch (path) {
        case OpsEndpoints.HEALTHZ -> {
          endpoints.liveness(response, callback);
          return true;
        }
        case OpsEndpoints.READYZ -> {
          endpoints.readiness(response, callback);
          return true;
        }
        case OpsEndpoints.METRICS -> {
          endpoints.metrics(response, callback);
          return true;
        }
        default -> {
          // Not an operator endpoint.
        }
      }
    }
    return super.handle(request, response, callback);
  }

  private static boolean isRead(Request request) {
    String method = request.getMethod();
    return method.equals("GET") || method.equals("HEAD");
  }
}
