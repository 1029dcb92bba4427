package dev.berth.registry;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.Referrers;
import dev.berth.oci.RegistryException;
import dev.berth.oci.RepositoryName;
import dev.berth.storage.driver.PathNotFoundException;
import dev.berth.storage.driver.StorageDriver;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Answers the referrers API: the manifests of a repository whose {@code subject} is a given digest.
 * Each push of such a manifest records a link under {@code _referrers/}, so a lookup lists one
 * directory instead of reading every manifest.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers">OCI
 *     Distribution Spec, listing referrers</a>
 */
public final class ReferrerService {
  private final StorageDriver driver;
  private final ManifestService manifests;
  private final Links links;

  /** Creates the service. */
  public ReferrerService(StorageDriver driver, ManifestService manifests) {
    this.driver = driver;
    this.manifests = manifests;
    this.links = new Links(driver);
  }

  /**
   * The descriptors of the manifests that refer to the subject, optionally only those of one
   * artifact type, ordered by digest. An unknown subject has no referrers.
   */
  public List<Descriptor> list(RepositoryName name, Digest subject, Optional<String> artifactType) {
    List<String> algorithms;
    try {
      algorithms = driver.list(RegistryPaths.referrers(name, subject));
    } catch (PathNotFoundException none) {
      return List.of();
    }
    List<Descriptor> result = new ArrayList<>();
    for (String algorithmDirectory : algorithms) {
      List<String> entries;
      try {
        entries = driver.list(algorithmDirectory);
      } catch (PathNotFoundException gone) {
        continue;
      }
      for (String entry : entries) {
        referrer(name, entry + "/link")
            .filter(d -> artifactType.isEmpty() || artifactType.equals(d.artifactType()))
            .ifPresent(result::add);
      }
    }
    result.sort(Comparator.comparing(d -> d.digest().toString()));
    return result;
  }

  private Optional<Descriptor> referrer(RepositoryName name, String linkPath) {
    Optional<Digest> digest;
    try {
      digest = links.read(linkPath);
    } catch (CorruptStorageException | RegistryException skipped) {
      return Optional.empty();
    }
    return digest
        .filter(d -> links.exists(RegistryPaths.manifestRevisionLink(name, d)))
        .flatMap(d -> manifests.load(name, d))
        .map(
            stored ->
                Referrers.descriptorOf(
                    stored.manifest(), stored.digest(), stored.content().length));
  }
}
