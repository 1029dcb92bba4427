package dev.berth.storage.driver.inmemory;

import dev.berth.storage.driver.FileInfo;
import dev.berth.storage.driver.FileWriter;
import dev.berth.storage.driver.InvalidOffsetException;
import dev.berth.storage.driver.PathNotFoundException;
import dev.berth.storage.driver.StorageDriver;
import dev.berth.storage.driver.StorageKeys;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.jspecify.annotations.Nullable;

/**
 * The {@code inmemory} driver: a concurrent sorted map from key to content. Directories are implied
 * by key prefixes, as in an object store. Stored arrays are never changed after they are published,
 * so readers need no locks and never see a partial object.
 *
 * <p>Writers buffer in memory and publish what they hold at {@link FileWriter#close()} and {@link
 * FileWriter#commit()}, so a writer reopened with {@code append} continues from there.
 */
public final class InMemoryDriver implements StorageDriver {

  // '/' + 1: every key below directory d sorts in [d + "/", d + "0").
  private static final char AFTER_SLASH = '/' + 1;

  private final ConcurrentSkipListMap<String, StoredObject> objects = new ConcurrentSkipListMap<>();
  private final Clock clock;

  /** Creates an empty store. */
  public InMemoryDriver() {
    this(Clock.systemUTC());
  }

  /** Creates an empty store whose modification times come from {@code clock}. */
  public InMemoryDriver(Clock clock) {
    this.clock = clock;
  }

  /**
   * A stored object. A class rather than a record because it holds an array: identity equality is
   * what {@link #move} relies on, and {@code content} is never written to after construction.
   */
  private static final class StoredObject {
    private final byte[] content;
    private final Instant modified;

    StoredObject(byte[] content, Instant modified) {
      this.content = content;
      this.modified = modified;
    }

    byte[] content() {
      return content;
    }

    Instant modified() {
      return modified;
    }
  }

  @Override
  public String name() {
    return "inmemory";
  }

  @Override
  public byte[] getContent(String path) {
    return object(StorageKeys.requireKey(path)).content().clone();
  }

  @Override
  public void putContent(String path, byte[] content) {
    publish(StorageKeys.requireKey(path), content.clone());
  }

  @Override
  public InputStream reader(String path, long offset) {
    byte[] content = object(StorageKeys.requireKey(path)).content();
    if (offset < 0 || offset > content.length) {
      throw new InvalidOffsetException(path, offset);
    }
    return new ByteArrayInputStream(content, (int) offset, content.length - (int) offset);
  }

  @Override
  public FileWriter writer(String path, boolean append) {
    StorageKeys.requireKey(path);
    byte[] initial = new byte[0];
    if (append) {
      StoredObject existing = objects.get(path);
      if (existing != null) {
        initial = existing.content();
      }
    }
    return new InMemoryWriter(this, path, initial);
  }

  @Override
  public FileInfo stat(String path) {
    StorageKeys.requireDirectory(path);
    StoredObject object = objects.get(path);
    if (object != null) {
      return new FileInfo(path, object.content().length, object.modified(), false);
    }
    NavigableMap<String, StoredObject> below = below(path);
    if (below.isEmpty() && !path.equals(StorageKeys.ROOT)) {
      throw new PathNotFoundException(path);
    }
    Instant modified = Instant.EPOCH;
    for (StoredObject child : below.values()) {
      if (child.modified().isAfter(modified)) {
        modified = child.modified();
      }
    }
    return new FileInfo(path, 0, modified, true);
  }

  @Override
  public List<String> list(String path) {
    StorageKeys.requireDirectory(path);
    String prefix = StorageKeys.prefixOf(path);
    List<String> children = new ArrayList<>();
    String key = objects.ceilingKey(prefix);
    while (key != null && key.startsWith(prefix)) {
      int slash = key.indexOf('/', prefix.length());
      if (slash < 0) {
        children.add(key);
        key = objects.higherKey(key);
      } else {
        String child = key.substring(0, slash);
        children.add(child);
        // Skip everything below this child in one step.
        key = objects.ceilingKey(child + AFTER_SLASH);
      }
    }
    if (children.isEmpty() && !path.equals(StorageKeys.ROOT)) {
      throw new PathNotFoundException(path);
    }
    return children;
  }

  @Override
  public void move(String sourcePath, String destinationPath) {
    StorageKeys.requireKey(sourcePath);
    StorageKeys.requireKey(destinationPath);
    StoredObject object = object(sourcePath);
    if (sourcePath.equals(destinationPath)) {
      return;
    }
    objects.put(destinationPath, object);
    // A newer object written at the source meanwhile stays.
    objects.remove(sourcePath, object);
  }

  @Override
  public void delete(String path) {
    StorageKeys.requireKey(path);
    boolean removed = objects.remove(path) != null;
    NavigableMap<String, StoredObject> below = below(path);
    removed |= !below.isEmpty();
    below.clear();
    if (!removed) {
      throw new PathNotFoundException(path);
    }
  }

  @Override
  public void close() {
    objects.clear();
  }

  /** Stores an array that nobody else holds a reference to. */
  void publish(String path, byte[] content) {
    objects.put(path, new StoredObject(content, clock.instant()));
  }

  /** Removes the object at the path, if any. */
  void remove(String path) {
    objects.remove(path);
  }

  private StoredObject object(String path) {
    @Nullable StoredObject object = objects.get(path);
    if (object == null) {
      throw new PathNotFoundException(path);
    }
    return object;
  }

  private NavigableMap<String, StoredObject> below(String directory) {
    if (directory.equals(StorageKeys.ROOT)) {
      return objects;
    }
    return objects.subMap(directory + "/", true, directory + AFTER_SLASH, false);
  }

  @Override
  public String toString() {
    return "InMemoryDriver[" + objects.size() + " objects]";
  }
}
