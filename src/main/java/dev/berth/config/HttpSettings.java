package dev.berth.config;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The {@code http} section: where and how the registry listens.
 *
 * @param addr the listen address, {@code host:port} or {@code :port} (default {@code :5000})
 * @param host the externally visible base URL used in {@code Location} headers, or null to derive
 *     it from the request
 * @param secret the key that signs upload state; replicas on one store must share it; null means a
 *     random one per process
 * @param relativeUrls whether {@code Location} headers are relative (default false)
 * @param drainTimeout how long a shutdown waits for requests in flight (default 30s)
 */
public record HttpSettings(
    String addr,
    @Nullable String host,
    @Nullable String secret,
    boolean relativeUrls,
    Duration drainTimeout) {

  /** Listens on port 5000 on all interfaces. */
  public static HttpSettings defaults() {
    return new HttpSettings(":5000", null, null, false, Duration.ofSeconds(30));
  }
}
