/** Berth's cli layer; see DESIGN.md for what it holds. */
@NullMarked
package dev.berth.cli;

import org.jspecify.annotations.NullMarked;
