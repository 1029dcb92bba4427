package dev.berth.http;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A single byte range of a blob, from a request's {@code Range} header.
 *
 * @param start the first byte
 * @param end the last byte, inclusive
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9110#name-range-requests">RFC 9110, range
 *     requests</a>
 */
record ByteRange(long start, long end) {
  private static final Pattern SINGLE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

  /** The range's length in bytes. */
  long length() {
    return end - start + 1;
  }

  /** A range that cannot be served from an object of the given size. */
  static final class UnsatisfiableException extends Exception {
    private static final long serialVersionUID = 1L;

    UnsatisfiableException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Parses the header against the object's size. A header this class does not understand (several
   * ranges, another unit) is ignored, as RFC 9110 allows, and the whole object is served.
   *
   * @return the range, or empty to serve the whole object
   * @throws UnsatisfiableException when the range lies outside the object
   */
  static Optional<ByteRange> parse(Optional<String> header, long size)
      throws UnsatisfiableException {
    if (header.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = SINGLE.matcher(header.get().strip());
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return Optional.empty();
    }
    long start;
    long end;
    if (m.group(1).isEmpty()) {
      long suffix = Long.parseLong(m.group(2));
      if (suffix == 0 || size == 0) {
        throw new UnsatisfiableException("an empty suffix range selects nothing");
      }
      start = Math.max(0, size - suffix);
      end = size - 1;
    } else {
      start = Long.parseLong(m.group(1));
      end = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
      if (start >= size || (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < start)) {
        throw new UnsatisfiableException(
            "range " + header.get() + " lies outside the blob of " + size + " bytes");
      }
    }
    return Optional.of(new ByteRange(start, end));
  }
}
