/**
 * Value types of the OCI Distribution and Image specifications: digests, names, references,
 * descriptors, manifests and the error code table. Depends on nothing else in Berth.
 */
@NullMarked
package dev.berth.oci;

import org.jspecify.annotations.NullMarked;
