package dev.berth.http;

import dev.berth.oci.Digest;
import dev.berth.oci.RepositoryName;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.jspecify.annotations.Nullable;

/**
 * Builds the URLs the registry hands out in {@code Location} and {@code Link} headers: relative
 * when {@code http.relativeurls} is set, else absolute on {@code http.host} or, without it, on the
 * scheme and host the client used (honouring {@code X-Forwarded-Proto} and {@code X-Forwarded-Host}
 * from a proxy in front), as registry:2 does.
 */
final class Locations {
  private final @Nullable String host;
  private final boolean relative;

  Locations(@Nullable String host, boolean relative) {
    this.host = host == null || host.isBlank() ? null : stripTrailingSlash(host);
    this.relative = relative;
  }

  /** The URL of a blob. */
  String blob(Exchange exchange, RepositoryName name, Digest digest) {
    return base(exchange) + "/v2/" + name.value() + "/blobs/" + digest;
  }

  /** The URL of a manifest. */
  String manifest(Exchange exchange, RepositoryName name, Digest digest) {
    return base(exchange) + "/v2/" + name.value() + "/manifests/" + digest;
  }

  /** The URL of an upload session, carrying its signed state. */
  String upload(Exchange exchange, RepositoryName name, String uploadId, String token) {
    return base(exchange)
        + "/v2/"
        + name.value()
        + "/blobs/uploads/"
        + uploadId
        + "?_state="
        + URLEncoder.encode(token, StandardCharsets.UTF_8);
  }

  /** The scheme and authority to put in front of a path, or nothing for relative URLs. */
  String base(Exchange exchange) {
    if (relative) {
      return "";
    }
    if (host != null) {
      return host;
    }
    String scheme =
        exchange
            .header("X-Forwarded-Proto")
            .map(Locations::firstValue)
            .orElse(exchange.request().getHttpURI().getScheme());
    String authority =
        exchange
            .header("X-Forwarded-Host")
            .map(Locations::firstValue)
            .or(() -> exchange.header(HttpHeader.HOST))
            .orElseGet(
                () ->
                    exchange.request().getHttpURI().getHost()
                        + ":"
                        + exchange.request().getHttpURI().getPort());
    return (scheme == null ? "http" : scheme) + "://" + authority;
  }

  private static String firstValue(String header) {
    int comma = header.indexOf(',');
    return (comma < 0 ? header : header.substring(0, comma)).strip();
  }

  private static String stripTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
