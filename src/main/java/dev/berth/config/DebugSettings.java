package dev.berth.config;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code http.debug}: a second listener for operators, serving {@code /debug/health} and the
 * Prometheus metrics. It runs only when {@code addr} is set.
 *
 * @param addr the listen address, {@code host:port} or {@code :port}, or null for no debug server
 * @param prometheusEnabled {@code http.debug.prometheus.enabled}; accepted for compatibility, Berth
 *     serves metrics on the debug server whenever it runs
 * @param prometheusPath {@code http.debug.prometheus.path}: where the metrics are (default {@code
 *     /metrics})
 */
public record DebugSettings(
    @Nullable String addr, boolean prometheusEnabled, String prometheusPath) {

  /** No debug server. */
  public static DebugSettings disabled() {
    return new DebugSettings(null, false, "/metrics");
  }

  /** The listen address, when the debug server is on. */
  public Optional<String> address() {
    return Optional.ofNullable(addr).filter(a -> !a.isBlank());
  }
}
