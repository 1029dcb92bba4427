package dev.berth.http;

import java.net.InetSocketAddress;

/** Parses registry:2's {@code http.addr}: {@code host:port}, {@code :port} or {@code [v6]:port}. */
final class ListenAddress {
  private ListenAddress() {}

  /**
   * Parses the address without resolving the host.
   *
   * @throws IllegalArgumentException when it is not of the form {@code [host]:port}
   */
  static InetSocketAddress parse(String addr) {
    int colon = addr.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(
          "listen address '" + addr + "' must be host:port or :port");
    }
    String host = addr.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(addr.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("listen address '" + addr + "' has no numeric port", e);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("listen address '" + addr + "' has a port out of range");
    }
    return InetSocketAddress.createUnresolved(host, port);
  }
}
