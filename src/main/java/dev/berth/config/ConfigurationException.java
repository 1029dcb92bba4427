package dev.berth.config;

import java.util.List;

/** The configuration cannot be used; carries every problem found, not just the first. */
public final class ConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // an immutable List.copyOf; exceptions are not serialized here
  private final List<Problem> problems;

  /** An exception listing {@code problems}, which must not be empty. */
  public ConfigurationException(List<Problem> problems) {
    super(summary(problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in the order found. */
  public List<Problem> problems() {
    return problems;
  }

  private static String summary(List<Problem> problems) {
    StringBuilder out = new StringBuilder("invalid configuration");
    for (Problem problem : problems) {
      out.append(System.lineSeparator()).append("  ").append(problem);
    }
    return out.toString();
  }
}
