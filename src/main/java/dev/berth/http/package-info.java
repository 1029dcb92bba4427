/** Berth's http layer; see DESIGN.md for what it holds. */
@NullMarked
package dev.berth.http;

import org.jspecify.annotations.NullMarked;
