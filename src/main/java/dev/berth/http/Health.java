package dev.berth.http;

import dev.berth.registry.StorageHealthCheck;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Whether this process should get traffic: it is ready while it is not draining and its store is
 * reachable. Liveness needs nothing: a process that answers is alive. The state is read from flags
 * and the last storage check, so a probe never waits on the store.
 */
public final class Health {
  private final @Nullable StorageHealthCheck storage;
  private final boolean storageListed;
  private volatile boolean draining;

  private Health(@Nullable StorageHealthCheck storage, boolean storageListed) {
    this.storage = storage;
    this.storageListed = storageListed;
  }

  /** Readiness that depends on draining only. */
  public static Health withoutChecks() {
    return new Health(null, false);
  }

  /**
   * Readiness that also depends on the store.
   *
   * @param storage the periodic storage check
   * @param listed whether the check appears on {@code /debug/health} ({@code
   *     health.storagedriver.enabled}), as in registry:2
   */
  public static Health withStorage(StorageHealthCheck storage, boolean listed) {
    return new Health(storage, listed);
  }

  /** Turns readiness off for good: the process is shutting down. */
  public void drain() {
    draining = true;
  }

  /** Whether the process is shutting down. */
  public boolean draining() {
    return draining;
  }

  /** Why the process is not ready, or empty when it is. */
  public Optional<String> notReadyReason() {
    if (draining) {
      return Optional.of("draining: the registry is shutting down");
    }
    return storage == null ? Optional.empty() : storage.problem();
  }

  /**
   * The failing checks for {@code /debug/health}, by registry:2's check names; empty when all pass.
   */
  public Map<String, String> failingChecks() {
    Map<String, String> failing = new LinkedHashMap<>();
    if (draining) {
      failing.put("draining", "the registry is shutting down");
    }
    if (storage != null && storageListed) {
      storage.problem().ifPresent(p -> failing.put("storagedriver_" + storage.name(), p));
    }
    return failing;
  }
}
