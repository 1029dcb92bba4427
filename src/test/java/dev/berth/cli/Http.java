package dev.berth.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** A small HTTP client for the tests of a running registry on 127.0.0.1. */
final class Http {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private Http() {}

  static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return send(port, "GET", path, HttpRequest.BodyPublishers.noBody());
  }

  static HttpResponse<String> send(
      int port, String method, String path, HttpRequest.BodyPublisher body)
      throws IOException, InterruptedException {
    return send(port, method, path, body, "application/octet-stream");
  }

  static HttpResponse<String> send(
      int port, String method, String path, HttpRequest.BodyPublisher body, String contentType)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", contentType)
            .method(method, body)
            .build();
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Polls a path until the response matches, for at most {@code timeout}; the last response. */
  static HttpResponse<String> await(
      int port, String path, Predicate<HttpResponse<String>> until, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpResponse<String> response = get(port, path);
    for (int i = 0; i < 1000 && !until.test(response) && System.nanoTime() < deadline; i++) {
      Thread.sleep(50);
      response = get(port, path);
    }
    return response;
  }

  /** The value of a Prometheus sample line that starts with {@code series}, or 0 if absent. */
  static double sample(String scrape, String series) {
    for (String line : scrape.lines().toList()) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return 0;
  }
}
