package dev.berth.storage.driver;

import java.time.Instant;

/**
 * What {@link StorageDriver#stat} tells about a path.
 *
 * @param path the path described
 * @param size the object's size in bytes; 0 for a directory
 * @param modified when the object was last written
 * @param directory whether the path is a directory
 */
public record FileInfo(String path, long size, Instant modified, boolean directory) {}
