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
    ErrorCode code = status == 404 ? ErrorCode.NOT_FOUND : ErrorCode.UNKNOWN;
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
}
