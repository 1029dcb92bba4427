package dev.berth.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finds a TCP port on 127.0.0.1 that nothing listens on right now. */
public final class FreePort {
  private FreePort() {}

  /**
   * A port that was free a moment ago. Another process may still take it before the caller binds
   * it, so callers that start a server on it retry with a fresh port when the bind fails.
   */
  public static int find() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("failed to find a free port", e);
    }
  }
}
