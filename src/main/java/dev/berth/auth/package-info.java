/** Berth's auth layer; see DESIGN.md for what it holds. */
@NullMarked
package dev.berth.auth;

import org.jspecify.annotations.NullMarked;
