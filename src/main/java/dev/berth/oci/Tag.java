package dev.berth.oci;

import java.util.regex.Pattern;

/**
 * A tag: up to 128 characters of letters, digits, {@code _}, {@code .} and {@code -}, not starting
 * with {@code .} or {@code -}.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests">OCI
 *     Distribution Spec, the tag grammar</a>
 * @param value the tag
 */
public record Tag(String value) implements Comparable<Tag> {
  private static final Pattern GRAMMAR = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

  /** Validates the tag. */
  public Tag {
    if (!GRAMMAR.matcher(value).matches()) {
      throw new RegistryException(
          ErrorCode.TAG_INVALID,
          "invalid tag '"
              + Digest.shorten(value)
              + "': up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'");
    }
  }

  /** Parses and validates a tag. */
  public static Tag of(String value) {
    return new Tag(value);
  }

  /** Whether the string is a valid tag. */
  public static boolean isValid(String value) {
    return GRAMMAR.matcher(value).matches();
  }

  @Override
  public int compareTo(Tag other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
