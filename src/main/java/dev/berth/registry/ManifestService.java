package dev.berth.registry;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ErrorCode;
import dev.berth.oci.Manifest;
import dev.berth.oci.ManifestParser;
import dev.berth.oci.Reference;
import dev.berth.oci.RegistryException;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.storage.driver.PathNotFoundException;
import dev.berth.storage.driver.StorageDriver;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;

/**
 * Stores, finds and deletes manifests. A manifest's bytes live in the blob store under their
 * digest; the repository records it as a revision, and tags point at revisions.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-manifests">OCI
 *     Distribution Spec, pushing manifests</a>
 */
public final class ManifestService {
  private final StorageDriver driver;
  private final RepositoryBlobs blobs;
  private final Links links;
  private final ManifestCache cache;
  private final LookupCache lookups;

  /**
   * A stored manifest.
   *
   * @param digest its digest
   * @param content its bytes exactly as pushed
   * @param manifest the parsed form
   */
  // The bytes are shared, never copied: a manifest is served on every pull, and no code path
  // writes into the array after it was read or received.
  @SuppressWarnings("ArrayRecordComponent")
  public record StoredManifest(Digest digest, byte[] content, Manifest manifest) {
    /** The media type to answer with. */
    public String mediaType() {
      return manifest.mediaType();
    }
  }

  /**
   * What a push produced.
   *
   * @param digest the manifest's digest
   * @param subject the digest of the manifest's subject, when it has one
   */
  public record PutResult(Digest digest, Optional<Digest> subject) {}

  /** Creates the service without a shared cache. */
  public ManifestService(StorageDriver driver, RepositoryBlobs blobs, ManifestCache cache) {
    this(driver, blobs, cache, LookupCache.none());
  }

  /**
   * Creates the service.
   *
   * @param cache manifests by digest, in this process
   * @param lookups tags and revisions, possibly shared with other replicas
   */
  public ManifestService(
      StorageDriver driver, RepositoryBlobs blobs, ManifestCache cache, LookupCache lookups) {
    this.driver = driver;
    this.blobs = blobs;
    this.links = new Links(driver);
    this.cache = cache;
    this.lookups = lookups;
  }

  /**
   * Stores a manifest pushed by reference.
   *
   * @param contentType the request's {@code Content-Type}, or empty
   * @throws RegistryException {@code MANIFEST_INVALID}, {@code DIGEST_INVALID} when the bytes do
   *     not match a digest reference, {@code MANIFEST_BLOB_UNKNOWN} when a referenced blob or
   *     manifest is not in the repository
   */
  public PutResult put(
      RepositoryName name, Reference reference, byte[] content, Optional<String> contentType) {
    Manifest manifest = ManifestParser.parse(content, contentType.orElse(""));
    Digest digest =
        switch (reference) {
          case Reference.ByDigest byDigest -> {
            Digest actual = digestOf(content, byDigest.digest());
            if (!actual.equals(byDigest.digest())) {
              throw new RegistryException(
                  ErrorCode.DIGEST_INVALID,
                  "the manifest has digest " + actual + ", not " + byDigest.digest(),
                  Map.of("digest", byDigest.digest().toString()),
                  null);
            }
            yield actual;
          }
          case Reference.ByTag byTag -> digestOf(content, null);
        };
    checkReferences(name, manifest);

    blobs.store().put(digest, content);
    links.write(RegistryPaths.manifestRevisionLink(name, digest), digest);
    Optional<Digest> subject = manifest.subject().map(Descriptor::digest);
    subject.ifPresent(s -> links.write(RegistryPaths.referrerLink(name, s, digest), digest));
    if (reference instanceof Reference.ByTag(Tag tag)) {
      links.write(RegistryPaths.tagIndexLink(name, tag, digest), digest);
      links.write(RegistryPaths.tagCurrentLink(name, tag), digest);
      lookups.tagChanged(name, tag);
    }
    cache.put(new StoredManifest(digest, content, manifest));
    return new PutResult(digest, subject);
  }

  /**
   * Finds a manifest of the repository by tag or digest.
   *
   * @throws RegistryException {@code MANIFEST_UNKNOWN} when there is none
   */
  public StoredManifest get(RepositoryName name, Reference reference) {
    Digest digest = resolve(name, reference);
    return load(name, digest).orElseThrow(() -> unknown(name, reference));
  }

  /**
   * The digest a reference names in the repository.
   *
   * @throws RegistryException {@code MANIFEST_UNKNOWN} when the tag or revision does not exist
   */
  public Digest resolve(RepositoryName name, Reference reference) {
    return switch (reference) {
      case Reference.ByTag(Tag tag) ->
          lookups
              .tag(name, tag, () -> links.read(RegistryPaths.tagCurrentLink(name, tag)))
              .orElseThrow(() -> unknown(name, reference));
      case Reference.ByDigest(Digest digest) -> {
        if (!revisionLinked(name, digest)) {
          throw unknown(name, reference);
        }
        yield digest;
      }
    };
  }

  /** The cache of manifests by digest, for its hit and miss counts. */
  public ManifestCache cache() {
    return cache;
  }

  /** Reads a revision's manifest, from the cache when it was seen before. */
  Optional<StoredManifest> load(RepositoryName name, Digest digest) {
    Optional<StoredManifest> cached = cache.get(digest);
    if (cached.isPresent()) {
      return cached;
    }
    byte[] content;
    try {
      content = blobs.store().read(digest);
    } catch (PathNotFoundException missing) {
      return Optional.empty();
    }
    StoredManifest stored = new StoredManifest(digest, content, ManifestParser.parse(content));
    cache.put(stored);
    return Optional.of(stored);
  }

  /**
   * Deletes a manifest revision, the tags that point at it and its referrer entry.
   *
   * @throws RegistryException {@code MANIFEST_UNKNOWN} when the repository has no such revision
   */
  public void delete(RepositoryName name, Digest digest) {
    Reference reference = new Reference.ByDigest(digest);
    if (!links.exists(RegistryPaths.manifestRevisionLink(name, digest))) {
      throw unknown(name, reference);
    }
    Optional<StoredManifest> stored = load(name, digest);
    for (Tag tag : TagService.listTags(driver, name)) {
      if (links.read(RegistryPaths.tagCurrentLink(name, tag)).filter(digest::equals).isPresent()) {
        driver.deleteIfExists(RegistryPaths.tag(name, tag));
        lookups.tagChanged(name, tag);
      }
    }
    stored
        .flatMap(s -> s.manifest().subject())
        .ifPresent(
            subject ->
                driver.deleteIfExists(
                    RegistryPaths.parent(
                        RegistryPaths.referrerLink(name, subject.digest(), digest))));
    driver.deleteIfExists(RegistryPaths.parent(RegistryPaths.manifestRevisionLink(name, digest)));
    lookups.revisionDeleted(name, digest);
  }

  private boolean revisionLinked(RepositoryName name, Digest digest) {
    return lookups.revisionLinked(
        name, digest, () -> links.exists(RegistryPaths.manifestRevisionLink(name, digest)));
  }

  private void checkReferences(RepositoryName name, Manifest manifest) {
    for (Descriptor blob : manifest.blobReferences()) {
      if (!blobs.contains(name, blob.digest())) {
        throw blobUnknown(name, blob.digest(), "blob");
      }
    }
    for (Descriptor child : manifest.manifestReferences()) {
      if (!revisionLinked(name, child.digest())) {
        throw blobUnknown(name, child.digest(), "manifest");
      }
    }
  }

  private static Digest digestOf(byte[] content, @org.jspecify.annotations.Nullable Digest like) {
    String algorithm = like == null ? "sha256" : like.algorithm();
    String javaAlgorithm = like == null ? "SHA-256" : like.javaAlgorithm();
    try {
      return Digest.of(algorithm, MessageDigest.getInstance(javaAlgorithm).digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(javaAlgorithm + " is part of every JDK", e);
    }
  }

  private static RegistryException unknown(RepositoryName name, Reference reference) {
    return new RegistryException(
        ErrorCode.MANIFEST_UNKNOWN,
        "manifest " + reference + " is not in repository " + name,
        Map.of("repository", name.value(), "reference", reference.toString()),
        null);
  }

  private static RegistryException blobUnknown(RepositoryName name, Digest digest, String kind) {
    return new RegistryException(
        ErrorCode.MANIFEST_BLOB_UNKNOWN,
        "the manifest references "
            + kind
            + " "
            + digest
            + ", which is not in repository "
            + name
            + "; push it first",
        Map.of("repository", name.value(), "digest", digest.toString()),
        null);
  }
}
