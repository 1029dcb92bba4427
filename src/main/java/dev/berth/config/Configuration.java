package dev.berth.config;

import java.util.Map;

/**
 * The whole, validated configuration of a Berth process, bound from registry:2's {@code config.yml}
 * format and the {@code REGISTRY_*} environment overlay. Immutable; every key has one documented
 * default.
 *
 * @see <a
 *     href="https://github.com/distribution/distribution/blob/main/docs/content/about/configuration.md">registry:2
 *     configuration reference</a>
 * @param version the configuration format version; only {@code 0.1} exists
 * @param log logging settings
 * @param storage the storage driver and the settings beside it
 * @param http the HTTP listener
 * @param catalog the {@code /v2/_catalog} endpoint
 * @param auth the authentication provider; not acted on yet
 * @param health the health checks behind {@code /readyz} and {@code /debug/health}
 * @param cache the shared cache of blob descriptors and tags ({@code storage.cache} and {@code
 *     redis})
 */
public record Configuration(
    String version,
    LogSettings log,
    StorageSettings storage,
    HttpSettings http,
    Catalog catalog,
    AuthSettings auth,
    HealthSettings health,
    CacheSettings cache) {

  /** A configuration without a shared cache. */
  public Configuration(
      String version,
      LogSettings log,
      StorageSettings storage,
      HttpSettings http,
      Catalog catalog,
      AuthSettings auth,
      HealthSettings health) {
    this(version, log, storage, http, catalog, auth, health, new CacheSettings.Off());
  }

  /** A configuration with registry:2's default health checks. */
  public Configuration(
      String version,
      LogSettings log,
      StorageSettings storage,
      HttpSettings http,
      Catalog catalog,
      AuthSettings auth) {
    this(version, log, storage, http, catalog, auth, HealthSettings.defaults());
  }

  /** A configuration without authentication. */
  public Configuration(
      String version,
      LogSettings log,
      StorageSettings storage,
      HttpSettings http,
      Catalog catalog) {
    this(version, log, storage, http, catalog, new AuthSettings.None());
  }

  /** The configuration used when none is given: port 5000, filesystem storage under ./data. */
  public static Configuration defaults() {
    return new Configuration(
        "0.1",
        new LogSettings("info", "text", Map.of(), false),
        StorageSettings.defaults(),
        HttpSettings.defaults(),
        new Catalog(1000));
  }

  /**
   * Logging.
   *
   * @param level {@code error}, {@code warn}, {@code info} (default) or {@code debug}
   * @param formatter {@code text} (default) or {@code json}
   * @param fields static fields added to every event
   * @param accessLogDisabled whether the per-request access log is off (default false)
   */
  public record LogSettings(
      String level, String formatter, Map<String, String> fields, boolean accessLogDisabled) {

    /** Copies the fields so the record is immutable. */
    public LogSettings {
      fields = Map.copyOf(fields);
    }
  }

  /**
   * The catalog endpoint.
   *
   * @param maxEntries the largest page {@code /v2/_catalog} returns (default 1000)
   */
  public record Catalog(int maxEntries) {}
}
