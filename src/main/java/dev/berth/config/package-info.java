/** Berth's config layer; see DESIGN.md for what it holds. */
@NullMarked
package dev.berth.config;

import org.jspecify.annotations.NullMarked;
