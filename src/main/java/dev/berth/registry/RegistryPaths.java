package dev.berth.registry;

import dev.berth.oci.Digest;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;

/**
 * Builds every storage key of the registry. This class alone knows the layout, which is {@code
 * registry:2}'s byte for byte so that one store can be served by either:
 *
 * <pre>
 * /docker/registry/v2/
 * ├── blobs/
 * │   └── sha256/ab/abcdef.../data                      bytes of every blob and manifest
 * └── repositories/
 *     └── &lt;name&gt;/
 *         ├── _layers/sha256/&lt;hex&gt;/link                  the repository may serve this blob
 *         ├── _manifests/
 *         │   ├── revisions/sha256/&lt;hex&gt;/link           a manifest of the repository
 *         │   └── tags/&lt;tag&gt;/
 *         │       ├── current/link                       the digest the tag points at now
 *         │       └── index/sha256/&lt;hex&gt;/link           every digest it ever pointed at
 *         ├── _uploads/&lt;uuid&gt;/
 *         │   ├── data                                   the bytes received so far
 *         │   ├── startedat                              RFC 3339 start time
 *         │   └── hashstates/sha256/&lt;offset&gt;             running digest state at an offset
 *         └── _referrers/sha256/&lt;subject hex&gt;/sha256/&lt;hex&gt;/link
 *                                                        Berth only: manifests whose subject
 *                                                        is the given digest
 * └── _berth/
 *     └── http-secret-fingerprint                        Berth only: fingerprint of the
 *                                                        replicas' http.secret, never the secret
 * </pre>
 *
 * <p>A {@code link} file holds a digest string such as {@code sha256:...} without a newline.
 * registry:2 skips directories of a repository whose names start with an underscore other than its
 * own three, so {@code _referrers} is invisible to it. Its catalog walks only {@code repositories/}
 * and its garbage collector only {@code repositories/} and {@code blobs/}, so it never looks into
 * {@code _berth/}.
 */
public final class RegistryPaths {
  /** The root of the whole layout. */
  public static final String ROOT = "/docker/registry/v2";

  /** The directory that holds every repository. */
  public static final String REPOSITORIES = ROOT + "/repositories";

  private RegistryPaths() {}

  /** The directory of all blobs of one algorithm. */
  public static String blobsRoot() {
    return ROOT + "/blobs";
  }

  /** The file holding a blob's bytes. */
  public static String blobData(Digest digest) {
    return blobDirectory(digest) + "/data";
  }

  /** The directory of one blob. */
  public static String blobDirectory(Digest digest) {
    return ROOT
        + "/blobs/"
        + digest.algorithm()
        + "/"
        + digest.hex().substring(0, 2)
        + "/"
        + digest.hex();
  }

  /** The directory of one repository. */
  public static String repository(RepositoryName name) {
    return REPOSITORIES + "/" + name.value();
  }

  /** The directory of a repository's blob links. */
  public static String layers(RepositoryName name) {
    return repository(name) + "/_layers";
  }

  /** The link that lets a repository serve a blob. */
  public static String layerLink(RepositoryName name, Digest digest) {
    return layers(name) + "/" + digest.algorithm() + "/" + digest.hex() + "/link";
  }

  /** The directory of all manifest revisions of a repository. */
  public static String manifestRevisions(RepositoryName name) {
    return repository(name) + "/_manifests/revisions";
  }

  /** The link that records a manifest as a revision of a repository. */
  public static String manifestRevisionLink(RepositoryName name, Digest digest) {
    return manifestRevisions(name) + "/" + digest.algorithm() + "/" + digest.hex() + "/link";
  }

  /** The directory holding all tags of a repository. */
  public static String tags(RepositoryName name) {
    return repository(name) + "/_manifests/tags";
  }

  /** The directory of one tag. */
  public static String tag(RepositoryName name, Tag tag) {
    return tags(name) + "/" + tag.value();
  }

  /** The link holding the digest a tag points at. */
  public static String tagCurrentLink(RepositoryName name, Tag tag) {
    return tag(name, tag) + "/current/link";
  }

  /** The link that records that a tag once pointed at a digest. */
  public static String tagIndexLink(RepositoryName name, Tag tag, Digest digest) {
    return tag(name, tag) + "/index/" + digest.algorithm() + "/" + digest.hex() + "/link";
  }

  /** The directory of one upload session. */
  public static String upload(RepositoryName name, String uploadId) {
    return repository(name) + "/_uploads/" + uploadId;
  }

  /** The bytes an upload has received so far. */
  public static String uploadData(RepositoryName name, String uploadId) {
    return upload(name, uploadId) + "/data";
  }

  /** When an upload started. */
  public static String uploadStartedAt(RepositoryName name, String uploadId) {
    return upload(name, uploadId) + "/startedat";
  }

  /** The running digest state of an upload after {@code offset} bytes. */
  public static String uploadHashState(
      RepositoryName name, String uploadId, String algorithm, long offset) {
    return upload(name, uploadId) + "/hashstates/" + algorithm + "/" + offset;
  }

  /** The directory of all hash states of an upload for one algorithm. */
  public static String uploadHashStates(RepositoryName name, String uploadId, String algorithm) {
    return upload(name, uploadId) + "/hashstates/" + algorithm;
  }

  /** The directory of the manifests that refer to a subject. */
  public static String referrers(RepositoryName name, Digest subject) {
    return repository(name) + "/_referrers/" + subject.algorithm() + "/" + subject.hex();
  }

  /** The link recording that a manifest refers to a subject. */
  public static String referrerLink(RepositoryName name, Digest subject, Digest referrer) {
    return referrers(name, subject) + "/" + referrer.algorithm() + "/" + referrer.hex() + "/link";
  }

  /** Berth's record of the {@code http.secret} fingerprint the replicas on this store use. */
  public static String secretFingerprint() {
    return ROOT + "/_berth/http-secret-fingerprint";
  }

  /** The directory a key is in: for a {@code link}, the directory that deleting it removes. */
  public static String parent(String path) {
    return path.substring(0, path.lastIndexOf('/'));
  }
}
