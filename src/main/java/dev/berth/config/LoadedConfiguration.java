package dev.berth.config;

import java.util.List;

/**
 * The result of loading: the typed configuration, the warnings to log at start-up, and the
 * effective values with their origins.
 *
 * @param configuration the bound configuration
 * @param warnings one line per setting that has no effect yet or is risky; log each at WARN
 * @param settings every effective value, secrets redacted, for {@code berth config check}
 */
public record LoadedConfiguration(
    Configuration configuration, List<String> warnings, List<EffectiveSetting> settings) {

  /** Copies the lists so the result is immutable. */
  public LoadedConfiguration {
    warnings = List.copyOf(warnings);
    settings = List.copyOf(settings);
  }
}
