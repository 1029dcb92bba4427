package dev.berth.oci;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed manifest: an {@link ImageManifest} (Docker schema 2 or OCI image manifest, artifacts
 * included) or an {@link ImageIndex} (Docker manifest list or OCI image index). Parse one with
 * {@link ManifestParser#parse}.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/manifest.md">OCI image spec,
 *     image manifest</a>
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/image-index.md">OCI image
 *     spec, image index</a>
 */
public sealed interface Manifest permits ImageManifest, ImageIndex {

  /** The only schema version Berth accepts. */
  int SCHEMA_VERSION = 2;

  /**
   * The effective media type: the body's {@code mediaType} field, else the {@code Content-Type} the
   * manifest was pushed with, else the OCI type inferred from its shape.
   */
  String mediaType();

  /** The schema version, always {@value #SCHEMA_VERSION}. */
  default int schemaVersion() {
    return SCHEMA_VERSION;
  }

  /** The manifest this one refers to, for the referrers API. */
  Optional<Descriptor> subject();

  /**
   * The artifact type the referrers API reports for this manifest.
   *
   * @see <a
   *     href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers">OCI
   *     Distribution Spec, listing referrers</a>
   */
  Optional<String> artifactType();

  /** The manifest's annotations; empty when there are none. */
  Map<String, String> annotations();

  /** The descriptors that must name blobs present in the repository before the push is accepted. */
  List<Descriptor> blobReferences();

  /**
   * The descriptors that must name manifests present in the repository before the push is accepted.
   */
  List<Descriptor> manifestReferences();

  /**
   * Every descriptor the registry must find before accepting the manifest: {@link
   * #blobReferences()} followed by {@link #manifestReferences()}. The {@link #subject()} is not
   * among them: the spec lets a manifest be pushed before its subject.
   */
  default List<Descriptor> references() {
    List<Descriptor> all = new ArrayList<>(blobReferences());
    all.addAll(manifestReferences());
    return List.copyOf(all);
  }
}
