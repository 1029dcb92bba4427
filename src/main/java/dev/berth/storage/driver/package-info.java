/**
 * The storage driver SPI: a key space of byte objects with atomic writes, resumable writers and
 * listings, implemented by the {@code filesystem}, {@code inmemory} and {@code s3} drivers.
 */
@NullMarked
package dev.berth.storage.driver;

import org.jspecify.annotations.NullMarked;
