package dev.berth.http;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The endpoints of the distribution API, parsed from a request path. Repository names contain
 * slashes, so each pattern takes the longest name that leaves a valid endpoint suffix; the name
 * itself is validated by the handler, which answers {@code NAME_INVALID}.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#endpoints">OCI
 *     Distribution Spec, endpoints</a>
 */
sealed interface Route
    permits Route.Base,
        Route.Root,
        Route.Catalog,
        Route.Tags,
        Route.Manifest,
        Route.UploadStart,
        Route.Upload,
        Route.Blob,
        Route.Referrers,
        Route.Unknown {
  Pattern BASE = Pattern.compile("/v2/?");
  Pattern CATALOG = Pattern.compile("/v2/_catalog");
  Pattern TAGS = Pattern.compile("/v2/(.+)/tags/list");
  Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");
  Pattern UPLOAD_START = Pattern.compile("/v2/(.+)/blobs/uploads/?");
  Pattern UPLOAD = Pattern.compile("/v2/(.+)/blobs/uploads/([^/]+)");
  Pattern BLOB = Pattern.compile("/v2/(.+)/blobs/([^/]+)");
  Pattern REFERRERS = Pattern.compile("/v2/(.+)/referrers/([^/]+)");

  /** A path pattern under a repository name and the route it yields. */
  record Endpoint(Pattern pattern, Function<Matcher, Route> route) {}

  /** The endpoints under a repository name, in the order they must be tried. */
  List<Endpoint> NAMED =
      List.of(
          new Endpoint(TAGS, m -> new Tags(m.group(1))),
          new Endpoint(MANIFEST, m -> new Manifest(m.group(1), m.group(2))),
          new Endpoint(UPLOAD_START, m -> new UploadStart(m.group(1))),
          new Endpoint(UPLOAD, m -> new Upload(m.group(1), m.group(2))),
          new Endpoint(BLOB, m -> new Blob(m.group(1), m.group(2))),
          new Endpoint(REFERRERS, m -> new Referrers(m.group(1), m.group(2))));

  /** {@code /v2/}: the API version check. */
  record Base() implements Route {}

  /** {@code /}: answered 200 as registry:2 does, for load balancer health checks. */
  record Root() implements Route {}

  /** {@code /v2/_catalog}. */
  record Catalog() implements Route {}

  /** {@code /v2/<name>/tags/list}. */
  record Tags(String name) implements Route {}

  /** {@code /v2/<name>/manifests/<reference>}. */
  record Manifest(String name, String reference) implements Route {}

  /** {@code /v2/<name>/blobs/uploads/}. */
  record UploadStart(String name) implements Route {}

  /** {@code /v2/<name>/blobs/uploads/<uuid>}. */
  record Upload(String name, String uploadId) implements Route {}

  /** {@code /v2/<name>/blobs/<digest>}. */
  record Blob(String name, String digest) implements Route {}

  /** {@code /v2/<name>/referrers/<digest>}. */
  record Referrers(String name, String digest) implements Route {}

  /** Anything else. */
  record Unknown() implements Route {}

  /**
   * Whether a raw (still percent-encoded) request path holds a {@code .} or {@code ..} segment.
   * Jetty resolves such segments before the path reaches the router, so {@code /v2/a/../b/...}
   * would silently act on repository {@code b}; the registry refuses them instead, as a name with
   * such a segment is never valid.
   */
  static boolean hasDotSegment(String rawPath) {
    for (String segment : rawPath.split("/", -1)) {
      String decoded = segment.replace("%2e", ".").replace("%2E", ".");
      if (decoded.equals(".") || decoded.equals("..")) {
        return true;
      }
    }
    return false;
  }

  /** Parses a decoded request path. */
  static Route parse(String path) {
    if (path.equals("/")) {
      return new Root();
    }
    if (!path.startsWith("/v2")) {
      return new Unknown();
    }
    if (BASE.matcher(path).matches()) {
      return new Base();
    }
    if (CATALOG.matcher(path).matches()) {
      return new Catalog();
    }
    for (Endpoint endpoint : NAMED) {
      Matcher matcher = endpoint.pattern().matcher(path);
      if (matcher.matches()) {
        return endpoint.route().apply(matcher);
      }
    }
    return new Unknown();
  }
}
