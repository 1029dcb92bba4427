package dev.berth.config;

import java.util.List;

/**
 * The {@code http.tls} section. Parsed and validated; not acted on yet.
 *
 * @param certificate the certificate file (PEM)
 * @param key the private key file (PEM)
 * @param clientCas CA files that client certificates must chain to; empty for no client auth
 * @param clientAuth the client certificate mode (default {@code require-and-verify-client-cert})
 * @param minimumTls the lowest TLS version (default {@code tls1.2})
 * @param cipherSuites allowed cipher suites; empty for the defaults
 */
public record TlsSettings(
    String certificate,
    String key,
    List<String> clientCas,
    String clientAuth,
    String minimumTls,
    List<String> cipherSuites) {

  /** Copies the lists. */
  public TlsSettings {
    clientCas = List.copyOf(clientCas);
    cipherSuites = List.copyOf(cipherSuites);
  }
}
