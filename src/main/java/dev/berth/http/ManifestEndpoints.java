package dev.berth.http;

import dev.berth.oci.Digest;
import dev.berth.oci.ErrorCode;
import dev.berth.oci.Reference;
import dev.berth.oci.RegistryException;
import dev.berth.oci.RepositoryName;
import dev.berth.registry.ManifestService;
import dev.berth.registry.Registry;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;

/**
 * {@code GET}, {@code HEAD}, {@code PUT} and {@code DELETE} of {@code
 * /v2/<name>/manifests/<reference>}.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests">OCI
 *     Distribution Spec, pulling manifests</a>
 */
final class ManifestEndpoints {
  /** The largest manifest accepted, as registry:2 and most registries limit it. */
  static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

  private static final Set<String> MANIFEST_TYPES =
      Set.of(
          "application/vnd.docker.distribution.manifest.v2+json",
          "application/vnd.docker.distribution.manifest.list.v2+json",
          "application/vnd.oci.image.manifest.v1+json",
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.docker.distribution.manifest.v1+json",
          "application/vnd.docker.distribution.manifest.v1+prettyjws");

  private final Registry registry;
  private final Locations locations;
  private final boolean deleteEnabled;

  ManifestEndpoints(Registry registry, Locations locations, boolean deleteEnabled) {
    this.registry = registry;
    this.locations = locations;
    this.deleteEnabled = deleteEnabled;
  }

  void handle(Exchange exchange, Route.Manifest route) throws IOException {
    RepositoryName name = RepositoryName.of(route.name());
    exchange.logField("repository", name.value());
    Reference reference = Reference.parse(route.reference());
    exchange.logField("reference", reference.toString());
    switch (exchange.method()) {
      case "GET", "HEAD" -> get(exchange, name, reference);
      case "PUT" -> put(exchange, name, reference);
      case "DELETE" -> delete(exchange, name, reference);
      default -> throw RegistryHandler.methodNotAllowed(exchange.method());
    }
  }

  private void get(Exchange exchange, RepositoryName name, Reference reference) throws IOException {
    ManifestService.StoredManifest stored = registry.manifests().get(name, reference);
    if (!acceptable(exchange.headerValues(HttpHeader.ACCEPT), stored.mediaType())) {
      throw new RegistryException(
          ErrorCode.MANIFEST_UNKNOWN,
          "manifest "
              + reference
              + " is a "
              + stored.mediaType()
              + ", which the request's Accept header does not list",
          Map.of("repository", name.value(), "reference", reference.toString()),
          null);
    }
    String etag = "\"" + stored.digest() + "\"";
    exchange.header(Headers.CONTENT_DIGEST, stored.digest().toString());
    exchange.header(HttpHeader.ETAG, etag);
    if (exchange.header(HttpHeader.IF_NONE_MATCH).filter(etag::equals).isPresent()) {
      exchange.send(304);
      return;
    }
    exchange.send(200, stored.mediaType(), stored.content());
  }

  private void put(Exchange exchange, RepositoryName name, Reference reference) throws IOException {
    byte[] content = exchange.readBody(MAX_MANIFEST_BYTES, ErrorCode.MANIFEST_INVALID, "manifest");
    ManifestService.PutResult result =
        registry
            .manifests()
            .put(name, reference, content, exchange.header(HttpHeader.CONTENT_TYPE));
    Digest digest = result.digest();
    exchange.logField("digest", digest.toString());
    exchange.header(HttpHeader.LOCATION, locations.manifest(exchange, name, digest));
    exchange.header(Headers.CONTENT_DIGEST, digest.toString());
    result.subject().ifPresent(subject -> exchange.header(Headers.OCI_SUBJECT, subject.toString()));
    exchange.send(201);
  }

  private void delete(Exchange exchange, RepositoryName name, Reference reference)
      throws IOException {
    if (!deleteEnabled) {
      throw new RegistryException(
          ErrorCode.UNSUPPORTED,
          "deleting manifests and tags is disabled; set storage.delete.enabled to true to allow it",
          Map.of(),
          null);
    }
    switch (reference) {
      case Reference.ByDigest byDigest -> registry.manifests().delete(name, byDigest.digest());
      case Reference.ByTag byTag -> registry.tags().delete(name, byTag.tag());
    }
    exchange.send(202);
  }

  /**
   * Whether the client accepts the media type. A client that names no manifest type at all (no
   * Accept, or only wildcards and other types) takes whatever is stored, as registry:2 serves it.
   */
  static boolean acceptable(List<String> acceptHeaders, String mediaType) {
    boolean namesManifestTypes = false;
    for (String header : acceptHeaders) {
      for (String part : header.split(",", -1)) {
        String type = part.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (type.equals(mediaType) || type.equals("*/*")) {
          return true;
        }
        namesManifestTypes |= MANIFEST_TYPES.contains(type);
      }
    }
    return !namesManifestTypes;
  }
}
