package dev.berth.oci;

import java.util.regex.Pattern;

/**
 * A repository name such as {@code library/ubuntu}: path components of lower-case letters and
 * digits joined by separators, as the distribution spec's grammar says.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests">OCI
 *     Distribution Spec, the name grammar</a>
 * @param value the name as it appears in the URL
 */
public record RepositoryName(String value) implements Comparable<RepositoryName> {
  /** The longest name accepted, as registry:2 limits it. */
  public static final int MAX_LENGTH = 255;

  private static final Pattern GRAMMAR =
      Pattern.compile(
          "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");

  /** Validates the name. */
  public RepositoryName {
    if (value.isEmpty() || value.length() > MAX_LENGTH || !GRAMMAR.matcher(value).matches()) {
      throw new RegistryException(
          ErrorCode.NAME_INVALID,
          "invalid repository name '"
              + Digest.shorten(value)
              + "': path components of lower-case letters and digits separated by '.', '_', '__'"
              + " or '-', joined by '/', at most "
              + MAX_LENGTH
              + " characters");
    }
  }

  /** Parses and validates a repository name. */
  public static RepositoryName of(String value) {
    return new RepositoryName(value);
  }

  @Override
  public int compareTo(RepositoryName other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
