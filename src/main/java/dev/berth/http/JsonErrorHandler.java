package dev.berth.http;

import dev.berth.oci.ErrorCode;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the requests Jetty refuses before they reach the registry (malformed HTTP, ambiguous
 * paths such as {@code ..} segments, oversized headers) with the distribution API's JSON error body
 * instead of an HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    Object message = request.getAttribute(ERROR_MESSAGE);
    String text = message instanceof String s && !s.isBlank() ? s : HttpStatus.getMessage(status);
    ErrorCode code = codeFor(status);
    byte[] body =
        Json.write(
            Map.of(
                "errors",
                List.of(Map.of("code", code.name(), "message", "request refused: " + text))));
    response.getHeaders().put(Headers.API_VERSION, "registry/2.0");
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, ErrorResponses.JSON);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }

  /**
   * The spec's code for a status Jetty chose. A request Jetty cannot parse is the client's fault,
   * which the spec's table words as an unsupported "invalid set of parameters"; UNKNOWN would claim
   * a server fault.
   */
  static ErrorCode codeFor(int status) {
    if (status == 404) {
      return ErrorCode.NOT_FOUND;
    }
    return status >= 400 && status < 500 ? ErrorCode.UNSUPPORTED : ErrorCode.UNKNOWN;
  }
}
