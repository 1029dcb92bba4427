package dev.berth.http;

import dev.berth.oci.ErrorCode;
import dev.berth.oci.RegistryException;
import dev.berth.registry.RangeInvalidException;
import dev.berth.storage.driver.StorageUnavailableException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a failure into the distribution spec's JSON error body: the one place that does. Client
 * errors are logged at DEBUG, server faults at ERROR with the stack trace; the client never sees a
 * stack trace, only the request id to quote.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes">OCI
 *     Distribution Spec, error codes</a>
 */
final class ErrorResponses {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);
  static final String JSON = "application/json; charset=utf-8";

  /**
   * The most of an unread request body read and dropped before an error answer, so the connection
   * stays open: any manifest fits; a larger body (a blob) closes the connection instead.
   */
  private static final long DISCARD_LIMIT = 4L << 20;

  private ErrorResponses() {}

  /** Answers the failure, unless the response was already committed. */
  static void send(Exchange exchange, Throwable failure, String requestId) throws IOException {
    int status;
    ErrorCode code;
    @Nullable String message;
    Map<String, String> detail = Map.of();
    switch (failure) {
      case RangeInvalidException range -> {
        status = range.httpStatus();
        code = range.code();
        message = range.getMessage();
        exchange.header(HttpHeader.RANGE, "0-" + Math.max(0, range.currentSize() - 1));
      }
      case RegistryException registry -> {
        status = registry.httpStatus();
        code = registry.code();
        message = registry.getMessage();
        detail = registry.detail();
      }
      case StorageUnavailableException unavailable -> {
        status = unavailable.throttled() ? 429 : 503;
        code = unavailable.throttled() ? ErrorCode.TOOMANYREQUESTS : ErrorCode.UNAVAILABLE;
        message = "the storage backend is unavailable for now; retry later";
        exchange.header(HttpHeader.RETRY_AFTER, "5");
        LOG.atWarn()
            .setMessage("storage unavailable")
            .addKeyValue("request.id", requestId)
            .addKeyValue("error", unavailable.getMessage())
            .log();
      }
      default -> {
        status = 500;
        code = ErrorCode.UNKNOWN;
        message = "internal error; the registry log has the details under request id " + requestId;
        LOG.atError()
            .setMessage("failed to handle request")
            .addKeyValue("request.id", requestId)
            .addKeyValue("http.method", exchange.method())
            .addKeyValue("url.path", exchange.path())
            .setCause(failure)
            .log();
      }
    }
    if (status < 500) {
      LOG.atDebug()
          .setMessage("request refused")
          .addKeyValue("request.id", requestId)
          .addKeyValue("error.code", code.name())
          .addKeyValue("error.message", message)
          .log();
    }
    if (message == null) {
      message = code.message();
    }
    exchange.logField("error.code", code.name());
    if (exchange.committed()) {
      return;
    }
    send(exchange, status, code, message, detail);
  }

  /** Answers with one error. */
  static void send(
      Exchange exchange, int status, ErrorCode code, String message, Map<String, String> detail)
      throws IOException {
    exchange.responseHeaders().remove(HttpHeader.CONTENT_LENGTH);
    if (status != 416) {
      // A 416 keeps "Content-Range: bytes */<size>": RFC 9110 has it tell the client the size.
      exchange.responseHeaders().remove(HttpHeader.CONTENT_RANGE);
    }
    exchange.responseHeaders().remove(Headers.CONTENT_DIGEST);
    if (!exchange.discardBody(DISCARD_LIMIT) && exchange.isHttp1()) {
      // RFC 9112 section 9.6: a server that leaves a body unread closes the connection, and says
      // so, lest the client send its next request on a connection that is about to go.
      exchange.responseHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    }
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code.name());
    error.put("message", message);
    if (!detail.isEmpty()) {
      error.put("detail", detail);
    }
    exchange.send(status, JSON, Json.write(Map.of("errors", List.of(error))));
  }
}
