/**
 * The {@code filesystem} storage driver: keys are files below a root directory, laid out exactly as
 * registry:2's filesystem driver lays them out, so either can serve the other's tree.
 */
@NullMarked
package dev.berth.storage.driver.filesystem;

import org.jspecify.annotations.NullMarked;
