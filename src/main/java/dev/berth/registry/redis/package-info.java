/** The optional Redis cache of blob descriptors and tags, shared by the replicas. */
@NullMarked
package dev.berth.registry.redis;

import org.jspecify.annotations.NullMarked;
