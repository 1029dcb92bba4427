package dev.berth.registry;

import dev.berth.oci.RegistryException;
import dev.berth.oci.RepositoryName;
import dev.berth.storage.driver.PathNotFoundException;
import dev.berth.storage.driver.StorageDriver;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lists the registry's repositories: every directory below {@code repositories/} that holds a
 * {@code _manifests} directory, as registry:2 counts them.
 */
public final class CatalogService {
  private final StorageDriver driver;

  /** Creates the service. */
  public CatalogService(StorageDriver driver) {
    this.driver = driver;
  }

  /** One page of repository names in lexical order. */
  public Page<RepositoryName> list(Optional<RepositoryName> last, int limit) {
    List<RepositoryName> names = new ArrayList<>();
    collect(RegistryPaths.REPOSITORIES, names);
    names.sort(null);
    return Page.of(names, last, limit);
  }

  private void collect(String directory, List<RepositoryName> names) {
    List<String> children;
    try {
      children = driver.list(directory);
    } catch (PathNotFoundException gone) {
      return;
    }
    for (String child : children) {
      String base = child.substring(child.lastIndexOf('/') + 1);
      if (base.equals("_manifests")) {
        addName(directory, names);
      } else if (!base.startsWith("_") && isDirectory(child)) {
        collect(child, names);
      }
    }
  }

  private boolean isDirectory(String path) {
    try {
      return driver.stat(path).directory();
    } catch (PathNotFoundException deletedMeanwhile) {
      return false;
    }
  }

  private static void addName(String directory, List<RepositoryName> names) {
    String name = directory.substring(RegistryPaths.REPOSITORIES.length() + 1);
    try {
      names.add(RepositoryName.of(name));
    } catch (RegistryException notARepository) {
      // a directory registry:2 would not have created; not listed
    }
  }
}
