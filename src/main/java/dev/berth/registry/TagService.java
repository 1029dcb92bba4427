package dev.berth.registry;

import dev.berth.oci.ErrorCode;
import dev.berth.oci.RegistryException;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.storage.driver.PathNotFoundException;
import dev.berth.storage.driver.StorageDriver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lists and deletes the tags of a repository.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-tags">OCI
 *     Distribution Spec, listing tags</a>
 */
public final class TagService {
  private final StorageDriver driver;
  private final LookupCache lookups;

  /** Creates the service without a shared cache. */
  public TagService(StorageDriver driver) {
    this(driver, LookupCache.none());
  }

  /** Creates the service; a deleted tag is dropped from {@code lookups}. */
  public TagService(StorageDriver driver, LookupCache lookups) {
    this.driver = driver;
    this.lookups = lookups;
  }

  /**
   * One page of the repository's tags in lexical order.
   *
   * @throws RegistryException {@code NAME_UNKNOWN} when the repository does not exist
   */
  public Page<Tag> list(RepositoryName name, Optional<Tag> last, int limit) {
    if (!exists(name)) {
      throw new RegistryException(
          ErrorCode.NAME_UNKNOWN,
          "repository " + name + " is not known to the registry",
          Map.of("repository", name.value()),
          null);
    }
    List<Tag> tags = listTags(driver, name);
    return Page.of(tags, last, limit);
  }

  /**
   * Deletes a tag; the manifest it pointed at stays.
   *
   * @throws RegistryException {@code MANIFEST_UNKNOWN} when the tag does not exist
   */
  public void delete(RepositoryName name, Tag tag) {
    try {
      driver.delete(RegistryPaths.tag(name, tag));
      lookups.tagChanged(name, tag);
    } catch (PathNotFoundException missing) {
      throw new RegistryException(
          ErrorCode.MANIFEST_UNKNOWN,
          "tag " + tag + " is not in repository " + name,
          Map.of("repository", name.value(), "reference", tag.value()),
          null);
    }
  }

  private boolean exists(RepositoryName name) {
    try {
      driver.stat(RegistryPaths.repository(name));
      return true;
    } catch (PathNotFoundException missing) {
      return false;
    }
  }

  /** Every tag of a repository, sorted; directories that are not valid tags are skipped. */
  static List<Tag> listTags(StorageDriver driver, RepositoryName name) {
    List<Tag> tags = new ArrayList<>();
    try {
      for (String path : driver.list(RegistryPaths.tags(name))) {
        String tag = path.substring(path.lastIndexOf('/') + 1);
        if (Tag.isValid(tag)) {
          tags.add(Tag.of(tag));
        }
      }
    } catch (PathNotFoundException noTags) {
      return List.of();
    }
    tags.sort(null);
    return tags;
  }
}
