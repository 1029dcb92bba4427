package dev.berth.config;

/**
 * One effective configuration value as {@code berth config check} prints it.
 *
 * @param key the dotted key, e.g. {@code storage.s3.bucket} or {@code http.headers.x-frame[0]}
 * @param value the value as text; secrets are {@code <redacted>}
 * @param origin where the value came from
 * @param implemented whether Berth acts on the value in this version
 */
public record EffectiveSetting(String key, String value, Origin origin, boolean implemented) {}
