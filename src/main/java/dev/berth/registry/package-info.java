/** Berth's registry layer; see DESIGN.md for what it holds. */
@NullMarked
package dev.berth.registry;

import org.jspecify.annotations.NullMarked;
