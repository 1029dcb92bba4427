package dev.berth.http;

import dev.berth.oci.Digest;
import dev.berth.oci.ErrorCode;
import dev.berth.oci.RegistryException;
import dev.berth.oci.RepositoryName;
import dev.berth.registry.ContentSource;
import dev.berth.registry.Registry;
import dev.berth.registry.UploadService;
import dev.berth.registry.UploadSession;
import dev.berth.registry.UploadToken;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.jspecify.annotations.Nullable;

/**
 * The upload endpoints: {@code POST /v2/<name>/blobs/uploads/} (new session, monolithic upload,
 * cross-repository mount) and {@code PATCH}, {@code PUT}, {@code GET}, {@code DELETE} of {@code
 * /v2/<name>/blobs/uploads/<uuid>}.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-blobs">OCI
 *     Distribution Spec, pushing blobs</a>
 */
final class UploadEndpoints {
  private static final Pattern CONTENT_RANGE =
      Pattern.compile("(?:bytes[ =])?(\\d{1,18})-(\\d{1,18})");
  private static final Pattern UPLOAD_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  private final Registry registry;
  private final UploadToken tokens;
  private final Locations locations;

  UploadEndpoints(Registry registry, UploadToken tokens, Locations locations) {
    this.registry = registry;
    this.tokens = tokens;
    this.locations = locations;
  }

  /** {@code POST /v2/<name>/blobs/uploads/}. */
  void start(Exchange exchange, String rawName) throws IOException {
    RepositoryName name = RepositoryName.of(rawName);
    exchange.logField("repository", name.value());
    Optional<String> mount = exchange.query("mount");
    if (mount.isPresent() && tryMount(exchange, name, Digest.parse(mount.get()))) {
      return;
    }
    UploadService uploads = registry.uploads();
    Optional<String> digest = exchange.query("digest");
    if (digest.isPresent()) {
      Digest expected = Digest.parse(digest.get());
      UploadSession session = uploads.start(name);
      exchange.logField("upload.id", session.uploadId());
      completeAndAnswer(exchange, name, session.uploadId(), expected, null, exchange.body());
      return;
    }
    UploadSession session = uploads.start(name);
    exchange.logField("upload.id", session.uploadId());
    answerInProgress(exchange, name, session, 202);
  }

  /** Every method of {@code /v2/<name>/blobs/uploads/<uuid>}. */
  void handle(Exchange exchange, Route.Upload route) throws IOException {
    RepositoryName name = RepositoryName.of(route.name());
    exchange.logField("repository", name.value());
    String uploadId = route.uploadId();
    if (!UPLOAD_ID.matcher(uploadId).matches()) {
      throw new RegistryException(
          ErrorCode.BLOB_UPLOAD_UNKNOWN, "invalid upload id", Map.of(), null);
    }
    exchange.logField("upload.id", uploadId);
    Optional<String> token = exchange.query("_state");
    if (token.isPresent()) {
      tokens.verify(token.get(), name, uploadId);
    }
    UploadService uploads = registry.uploads();
    switch (exchange.method()) {
      case "GET", "HEAD" -> answerInProgress(exchange, name, uploads.status(name, uploadId), 204);
      case "PATCH" -> {
        Long offset = chunkStart(exchange);
        UploadSession session = uploads.append(name, uploadId, offset, exchange.body());
        checkChunkLength(exchange, name, uploadId, offset, session.offset());
        answerInProgress(exchange, name, session, 202);
      }
      case "PUT" -> {
        Digest expected =
            Digest.parse(
                exchange
                    .query("digest")
                    .orElseThrow(
                        () ->
                            new RegistryException(
                                ErrorCode.DIGEST_INVALID,
                                "completing an upload needs the digest query parameter",
                                Map.of(),
                                null)));
        completeAndAnswer(
            exchange, name, uploadId, expected, chunkStart(exchange), exchange.body());
      }
      case "DELETE" -> {
        uploads.cancel(name, uploadId);
        exchange.send(204);
      }
      default -> throw RegistryHandler.methodNotAllowed(exchange.method());
    }
  }

  private boolean tryMount(Exchange exchange, RepositoryName name, Digest digest)
      throws IOException {
    Optional<String> from = exchange.query("from");
    boolean available;
    if (from.isPresent()) {
      available = registry.blobs().containsInStorage(RepositoryName.of(from.get()), digest);
    } else {
      // Without "from", the spec lets the registry mount any blob it already holds.
      available = registry.blobs().store().size(digest).isPresent();
    }
    if (!available) {
      return false;
    }
    registry.blobs().link(name, digest);
    exchange.logField("digest", digest.toString());
    exchange.header(HttpHeader.LOCATION, locations.blob(exchange, name, digest));
    exchange.header(Headers.CONTENT_DIGEST, digest.toString());
    exchange.send(201);
    return true;
  }

  private void completeAndAnswer(
      Exchange exchange,
      RepositoryName name,
      String uploadId,
      Digest expected,
      @Nullable Long offset,
      ContentSource body)
      throws IOException {
    exchange.logField("digest", expected.toString());
    Digest digest = registry.uploads().complete(name, uploadId, expected, offset, body);
    exchange.header(HttpHeader.LOCATION, locations.blob(exchange, name, digest));
    exchange.header(Headers.CONTENT_DIGEST, digest.toString());
    exchange.send(201);
  }

  private void answerInProgress(
      Exchange exchange, RepositoryName name, UploadSession session, int status)
      throws IOException {
    String token =
        tokens.issue(
            new UploadToken.Claims(
                name, session.uploadId(), session.offset(), session.startedAt()));
    exchange.header(
        HttpHeader.LOCATION, locations.upload(exchange, name, session.uploadId(), token));
    exchange.header(HttpHeader.RANGE, "0-" + Math.max(0, session.offset() - 1));
    exchange.header(Headers.UPLOAD_UUID, session.uploadId());
    exchange.send(status);
  }

  /** Where the client says its chunk starts, from {@code Content-Range}, or null. */
  private static @Nullable Long chunkStart(Exchange exchange) {
    Optional<String> header = exchange.header(HttpHeader.CONTENT_RANGE);
    if (header.isEmpty()) {
      return null;
    }
    Matcher m = CONTENT_RANGE.matcher(header.get().strip());
    if (!m.matches()) {
      throw new RegistryException(
          ErrorCode.RANGE_INVALID,
          "Content-Range must be <start>-<end>, got '" + header.get() + "'",
          Map.of(),
          null);
    }
    long start = Long.parseLong(m.group(1));
    long end = Long.parseLong(m.group(2));
    long length = exchange.contentLength();
    if (end < start || (length >= 0 && length != end - start + 1)) {
      throw new RegistryException(
          ErrorCode.RANGE_INVALID,
          "Content-Range " + header.get() + " does not match a body of " + length + " bytes",
          Map.of(),
          null);
    }
    return start;
  }

  /** A chunk with a {@code Content-Range} must have been exactly that long. */
  private void checkChunkLength(
      Exchange exchange, RepositoryName name, String uploadId, @Nullable Long start, long end) {
    if (start == null) {
      return;
    }
    Matcher m = CONTENT_RANGE.matcher(exchange.header(HttpHeader.CONTENT_RANGE).orElse(""));
    if (m.matches() && Long.parseLong(m.group(2)) + 1 != end) {
      registry.uploads().cancel(name, uploadId);
      throw new RegistryException(
          ErrorCode.BLOB_UPLOAD_INVALID,
          "the chunk did not match its Content-Range; the upload was discarded",
          Map.of(),
          null);
    }
  }
}
