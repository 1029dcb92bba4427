package dev.berth.it.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Plain HTTP requests against a registry, and bounded waits for one to come up. */
public final class Http {
  /** Every manifest media type a registry may hold; sent as {@code Accept} for manifests. */
  public static final String MANIFEST_TYPES =
      String.join(
          ", ",
          "application/vnd.oci.image.manifest.v1+json",
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.docker.distribution.manifest.v2+json",
          "application/vnd.docker.distribution.manifest.list.v2+json");

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NORMAL)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private Http() {}

  /**
   * One response, with the headers that matter when two registries are compared.
   *
   * @param status the HTTP status
   * @param contentType the {@code Content-Type}, or empty
   * @param digest the {@code Docker-Content-Digest}, or empty
   * @param contentLength the {@code Content-Length}, or empty
   * @param body the body bytes; test data that callers compare by content and never change
   */
  @SuppressWarnings("ArrayRecordComponent")
  public record Response(
      int status, String contentType, String digest, String contentLength, byte[] body) {}

  /** {@code GET} with an optional {@code Accept} header (empty for none). */
  public static Response get(String url, String accept) throws IOException, InterruptedException {
    return send("GET", url, accept);
  }

  /** Sends a body-less request. */
  public static Response send(String method, String url, String accept)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (!accept.isEmpty()) {
      request.header("Accept", accept);
    }
    HttpResponse<byte[]> response =
        CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Response(
        response.statusCode(),
        header(response, "Content-Type").orElse(""),
        header(response, "Docker-Content-Digest").orElse(""),
        header(response, "Content-Length").orElse(""),
        response.body());
  }

  /** Whether {@code GET url} answers 200 right now. */
  public static boolean answers200(String url) {
    try {
      return get(url, "").status() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Polls a condition every 100 ms until it holds or the timeout passes.
   *
   * @return whether the condition held in time
   */
  public static boolean await(Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int maxPolls = (int) Math.max(1, timeout.toMillis() / 100 + 1);
    for (int poll = 0; poll < maxPolls && System.nanoTime() < deadline; poll++) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(100);
    }
    return condition.getAsBoolean();
  }

  private static Optional<String> header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name);
  }
}
