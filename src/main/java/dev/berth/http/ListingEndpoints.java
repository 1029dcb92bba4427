package dev.berth.http;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ErrorCode;
import dev.berth.oci.Referrers;
import dev.berth.oci.RegistryException;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.registry.Page;
import dev.berth.registry.Registry;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The listing endpoints: {@code /v2/<name>/tags/list}, {@code /v2/_catalog} and {@code
 * /v2/<name>/referrers/<digest>}.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#content-discovery">OCI
 *     Distribution Spec, content discovery</a>
 */
final class ListingEndpoints {
  private static final String INDEX_TYPE = "application/vnd.oci.image.index.v1+json";

  private final Registry registry;
  private final int maxCatalogEntries;

  ListingEndpoints(Registry registry, int maxCatalogEntries) {
    this.registry = registry;
    this.maxCatalogEntries = maxCatalogEntries;
  }

  void tags(Exchange exchange, String rawName) throws IOException {
    RepositoryName name = RepositoryName.of(rawName);
    exchange.logField("repository", name.value());
    int limit = pageSize(exchange, Integer.MAX_VALUE);
    Optional<Tag> last = exchange.query("last").filter(Tag::isValid).map(Tag::of);
    Page<Tag> page = registry.tags().list(name, last, limit);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name.value());
    body.put("tags", page.items().stream().map(Tag::value).toList());
    page.next()
        .ifPresent(
            next -> link(exchange, "/v2/" + name.value() + "/tags/list", limit, next.value()));
    exchange.send(200, ErrorResponses.JSON, Json.write(body));
  }

  void catalog(Exchange exchange) throws IOException {
    int limit = Math.min(pageSize(exchange, maxCatalogEntries), maxCatalogEntries);
    Optional<RepositoryName> last =
        exchange.query("last").filter(s -> !s.isEmpty()).map(RepositoryName::new);
    Page<RepositoryName> page = registry.catalog().list(last, limit);
    page.next().ifPresent(next -> link(exchange, "/v2/_catalog", limit, next.value()));
    exchange.send(
        200,
        ErrorResponses.JSON,
        Json.write(
            Map.of("repositories", page.items().stream().map(RepositoryName::value).toList())));
  }

  void referrers(Exchange exchange, String rawName, String rawDigest) throws IOException {
    RepositoryName name = RepositoryName.of(rawName);
    exchange.logField("repository", name.value());
    Digest subject = Digest.parse(rawDigest);
    exchange.logField("digest", subject.toString());
    Optional<String> artifactType = exchange.query("artifactType").filter(s -> !s.isEmpty());
    List<Descriptor> referrers = registry.referrers().list(name, subject, artifactType);
    if (artifactType.isPresent()) {
      exchange.header(Headers.OCI_FILTERS_APPLIED, "artifactType");
    }
    exchange.send(200, INDEX_TYPE, Referrers.index(referrers));
  }

  private static int pageSize(Exchange exchange, int defaultSize) {
    Optional<String> n = exchange.query("n");
    if (n.isEmpty() || n.get().isEmpty()) {
      return defaultSize;
    }
    try {
      int size = Integer.parseInt(n.get());
      if (size < 0) {
        throw new NumberFormatException("negative");
      }
      return size;
    } catch (NumberFormatException e) {
      throw new RegistryException(
          ErrorCode.PAGINATION_NUMBER_INVALID,
          "the page size n must be a whole number from 0, got '" + n.get() + "'",
          Map.of(),
          null);
    }
  }

  private static void link(Exchange exchange, String path, int limit, String last) {
    exchange.header(
        HttpHeader.LINK,
        "<"
            + path
            + "?n="
            + limit
            + "&last="
            + URLEncoder.encode(last, StandardCharsets.UTF_8)
            + ">; rel=\"next\"");
  }
}
