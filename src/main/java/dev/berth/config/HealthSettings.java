package dev.berth.config;

import java.time.Duration;

/**
 * The {@code health} section: the periodic checks behind {@code /readyz} and {@code /debug/health}.
 * Only the storage driver check is implemented; {@code health.file}, {@code health.http} and {@code
 * health.tcp} are parsed and announced as not implemented.
 *
 * @param storageDriver {@code health.storagedriver}
 */
public record HealthSettings(StorageDriverCheck storageDriver) {

  /** registry:2's defaults: the storage check is not listed, checked every 10s. */
  public static HealthSettings defaults() {
    return new HealthSettings(new StorageDriverCheck(false, Duration.ofSeconds(10), 1));
  }

  /**
   * {@code health.storagedriver}. Berth checks the store for {@code /readyz} whether or not the
   * check is enabled, because a replica that cannot reach its store should get no traffic.
   *
   * @param enabled whether the check is listed on {@code /debug/health} (default false)
   * @param interval the time between checks (default 10s)
   * @param threshold the failures in a row after which the store counts as unreachable (default 1)
   */
  public record StorageDriverCheck(boolean enabled, Duration interval, int threshold) {

    /** Keeps the interval positive and the threshold at least 1. */
    public StorageDriverCheck {
      if (interval.isZero() || interval.isNegative()) {
        interval = Duration.ofSeconds(10);
      }
      threshold = Math.max(1, threshold);
    }
  }
}
