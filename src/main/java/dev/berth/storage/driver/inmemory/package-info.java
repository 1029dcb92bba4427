/**
 * The {@code inmemory} storage driver: a sorted map of keys to bytes, lost when the process ends.
 * For tests and trying Berth out.
 */
@NullMarked
package dev.berth.storage.driver.inmemory;

import org.jspecify.annotations.NullMarked;
