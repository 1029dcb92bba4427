package dev.berth.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations written the way registry:2 (Go's {@code time.ParseDuration}) writes them: {@code
 * 300ms}, {@code 30s}, {@code 1h30m}, {@code 1.5h}. Units: {@code ns}, {@code us} (or {@code µs}),
 * {@code ms}, {@code s}, {@code m}, {@code h}.
 */
public final class GoDuration {

  private static final Pattern PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
  private static final Map<String, Long> NANOS_PER_UNIT =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "µs", 1_000L,
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);

  private GoDuration() {}

  /**
   * Parses a duration. A bare {@code 0} is zero; any other number needs a unit, because registry:2
   * reads a bare number as nanoseconds, which is never what was meant.
   *
   * @return the duration, or empty when the text is not a valid duration
   */
  public static Optional<Duration> parse(String text) {
    String s = text.strip();
    if (s.equals("0")) {
      return Optional.of(Duration.ZERO);
    }
    if (s.isEmpty()) {
      return Optional.empty();
    }
    Matcher matcher = PART.matcher(s);
    BigDecimal nanos = BigDecimal.ZERO;
    int end = 0;
    while (matcher.find() && matcher.start() == end) {
      nanos =
          nanos.add(
              new BigDecimal(matcher.group(1))
                  .multiply(BigDecimal.valueOf(NANOS_PER_UNIT.getOrDefault(matcher.group(2), 0L))));
      end = matcher.end();
    }
    if (end != s.length()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Duration.ofNanos(nanos.longValueExact()));
    } catch (ArithmeticException e) {
      return Optional.empty();
    }
  }

  /** Formats a duration in Go's style, e.g. {@code 1h30m0s}, for display. */
  static String format(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    long hours = duration.toHours();
    int minutes = duration.toMinutesPart();
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      out.append(minutes).append('m');
    }
    long nanos = duration.toNanosPart();
    out.append(duration.toSecondsPart());
    if (nanos > 0) {
      out.append('.').append(String.format("%09d", nanos).replaceAll("0+$", ""));
    }
    return out.append('s').toString();
  }
}
