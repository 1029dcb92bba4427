package dev.berth.registry;

import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * One page of a sorted listing (tags or repositories).
 *
 * @param items the names on this page, sorted
 * @param next the last name of this page when more follow, for the {@code Link} header
 * @param <T> the item type
 */
public record Page<T>(List<T> items, Optional<T> next) {

  /**
   * Cuts a page out of a sorted list: the items after {@code last}, at most {@code limit}.
   *
   * @param sorted every item, sorted
   * @param last the item after which the page starts, or empty for the first page
   * @param limit the page size
   */
  public static <T extends Comparable<T>> Page<T> of(List<T> sorted, Optional<T> last, int limit) {
    int start = 0;
    if (last.isPresent()) {
      int position = Collections.binarySearch(sorted, last.get());
      start = position >= 0 ? position + 1 : -position - 1;
    }
    int end = (int) Math.min((long) start + limit, sorted.size());
    List<T> items = List.copyOf(sorted.subList(Math.min(start, end), end));
    Optional<T> next =
        end < sorted.size() && !items.isEmpty()
            ? Optional.of(items.get(items.size() - 1))
            : Optional.empty();
    return new Page<>(items, next);
  }
}
