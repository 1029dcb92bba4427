package dev.berth.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * @param prefix {@code http.prefix}: the path before {@code /v2/} (default {@code /}); not acted on
 *     yet
 * @param tls {@code http.tls}, or null for plain HTTP; not acted on yet
 * @param headers {@code http.headers}: headers added to every response; not acted on yet
 * @param http2Disabled {@code http.http2.disabled} (default false); not acted on yet
 * @param h2cEnabled {@code http.h2c.enabled} (default false); not acted on yet
 * @param debug {@code http.debug}: the debug listener (default: none)
 */
public record HttpSettings(
    String addr,
    @Nullable String host,
    @Nullable String secret,
    boolean relativeUrls,
    Duration drainTimeout,
    String prefix,
    @Nullable TlsSettings tls,
    Map<String, List<String>> headers,
    boolean http2Disabled,
    boolean h2cEnabled,
    DebugSettings debug) {

  /** Copies the headers so the record is immutable. */
  public HttpSettings {
    headers = Map.copyOf(headers);
  }

  /** The listener settings without a debug server. */
  public HttpSettings(
      String addr,
      @Nullable String host,
      @Nullable String secret,
      boolean relativeUrls,
      Duration drainTimeout,
      String prefix,
      @Nullable TlsSettings tls,
      Map<String, List<String>> headers,
      boolean http2Disabled,
      boolean h2cEnabled) {
    this(
        addr,
        host,
        secret,
        relativeUrls,
        drainTimeout,
        prefix,
        tls,
        headers,
        http2Disabled,
        h2cEnabled,
        DebugSettings.disabled());
  }

  /** The listener settings with registry:2's defaults for everything after {@code drainTimeout}. */
  public HttpSettings(
      String addr,
      @Nullable String host,
      @Nullable String secret,
      boolean relativeUrls,
      Duration drainTimeout) {
    this(addr, host, secret, relativeUrls, drainTimeout, "/", null, Map.of(), false, false);
  }

  /** Listens on port 5000 on all interfaces. */
  public static HttpSettings defaults() {
    return new HttpSettings(":5000", null, null, false, Duration.ofSeconds(30));
  }
}
