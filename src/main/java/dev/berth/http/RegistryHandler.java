package dev.berth.http;

import dev.berth.oci.ErrorCode;
import dev.berth.oci.RegistryException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty handler of the distribution API: gives each request an id, routes it, turns failures
 * into error bodies and writes one access-log event. Handlers run on virtual threads and block.
 */
public final class RegistryHandler extends Handler.Abstract {
  private static final Logger ACCESS = LoggerFactory.getLogger("dev.berth.access");

  private final BlobEndpoints blobs;
  private final UploadEndpoints uploads;
  private final ManifestEndpoints manifests;
  private final ListingEndpoints listings;
  private final boolean accessLogEnabled;
  private final RequestMetrics metrics;
  private final boolean readOnly;

  /** Creates the handler over the endpoint groups. */
  RegistryHandler(
      BlobEndpoints blobs,
      UploadEndpoints uploads,
      ManifestEndpoints manifests,
      ListingEndpoints listings,
      boolean accessLogEnabled,
      RequestMetrics metrics,
      boolean readOnly) {
    super(InvocationType.BLOCKING);
    this.blobs = blobs;
    this.uploads = uploads;
    this.manifests = manifests;
    this.listings = listings;
    this.accessLogEnabled = accessLogEnabled;
    this.metrics = metrics;
    this.readOnly = readOnly;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    long start = System.nanoTime();
    String requestId = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    Exchange exchange = new Exchange(request, response);
    exchange.header(Headers.API_VERSION, "registry/2.0");
    exchange.header("X-Request-Id", requestId);
    Route route = Route.parse(exchange.path());
    RequestMetrics.Kind kind = RequestMetrics.Kind.of(route);
    metrics.started(kind);
    try {
      String rawPath = request.getHttpURI().getPath();
      if (rawPath != null && Route.hasDotSegment(rawPath)) {
        throw new RegistryException(
            ErrorCode.NAME_INVALID,
            "the request path holds a '.' or '..' segment, which no repository name may contain",
            Map.of(),
            null);
      }
      dispatch(exchange, route);
      callback.succeeded();
    } catch (IOException | RuntimeException failure) {
      try {
        ErrorResponses.send(exchange, failure, requestId);
        callback.succeeded();
      } catch (IOException | RuntimeException writeFailure) {
        callback.failed(writeFailure);
      }
    } finally {
      metrics.finished(
          kind,
          exchange.method(),
          response.getStatus(),
          exchange.bytesReceived(),
          exchange.bytesSent(),
          System.nanoTime() - start);
      if (accessLogEnabled) {
        accessLog(exchange, request, response, requestId, start);
      }
    }
    return true;
  }

  private void dispatch(Exchange exchange, Route route) throws IOException {
    String method = exchange.method();
    if (readOnly && isWrite(method) && !(route instanceof Route.Unknown)) {
      throw new RegistryException(
          ErrorCode.UNSUPPORTED,
          "the registry is read-only (storage.maintenance.readonly.enabled): "
              + method
              + " is refused, pulls go on",
          Map.of(),
          null);
    }
    switch (route) {
      case Route.Root root -> {
        requireMethod(method, "GET", "HEAD");
        exchange.send(200);
      }
      case Route.Base base -> {
        requireMethod(method, "GET", "HEAD");
        exchange.send(200, ErrorResponses.JSON, Exchange.utf8("{}"));
      }
      case Route.Catalog catalog -> {
        requireMethod(method, "GET");
        listings.catalog(exchange);
      }
      case Route.Tags tags -> {
        requireMethod(method, "GET");
        listings.tags(exchange, tags.name());
      }
      case Route.Referrers referrers -> {
        requireMethod(method, "GET");
        listings.referrers(exchange, referrers.name(), referrers.digest());
      }
      case Route.Manifest manifest -> manifests.handle(exchange, manifest);
      case Route.Blob blob -> blobs.handle(exchange, blob);
      case Route.UploadStart start -> {
        requireMethod(method, "POST");
        uploads.start(exchange, start.name());
      }
      case Route.Upload upload -> uploads.handle(exchange, upload);
      case Route.Unknown unknown ->
          throw new RegistryException(
              ErrorCode.NOT_FOUND, "no such endpoint: " + exchange.path(), Map.of(), null);
    }
  }

  private static boolean isWrite(String method) {
    return switch (method) {
      case "POST", "PUT", "PATCH", "DELETE" -> true;
      default -> false;
    };
  }

  /** Refuses a method the endpoint does not offer with 405. */
  static void requireMethod(String method, String... allowed) {
    for (String candidate : allowed) {
      if (candidate.equals(method)) {
        return;
      }
    }
    throw methodNotAllowed(method);
  }

  /** The 405 answer for a method the endpoint does not offer. */
  static RegistryException methodNotAllowed(String method) {
    return new RegistryException(
        ErrorCode.UNSUPPORTED, "method " + method + " is not supported here", Map.of(), null);
  }

  private static void accessLog(
      Exchange exchange, Request request, Response response, String requestId, long start) {
    var event =
        ACCESS
            .atInfo()
            .setMessage("request")
            .addKeyValue("request.id", requestId)
            .addKeyValue("http.method", exchange.method())
            .addKeyValue("url.path", exchange.path())
            .addKeyValue("http.status", response.getStatus())
            .addKeyValue("http.request.body.bytes", exchange.bytesReceived())
            .addKeyValue("http.response.body.bytes", exchange.bytesSent())
            .addKeyValue("duration.ms", (System.nanoTime() - start) / 1_000_000.0)
            .addKeyValue("client.address", Request.getRemoteAddr(request));
    String userAgent = request.getHeaders().get("User-Agent");
    if (userAgent != null) {
      event = event.addKeyValue("user_agent", userAgent);
    }
    for (Map.Entry<String, String> field : exchange.logFields().entrySet()) {
      event = event.addKeyValue(field.getKey(), field.getValue());
    }
    event.log();
  }
}
