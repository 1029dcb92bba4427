package dev.berth.http;

import dev.berth.config.DebugSettings;
import java.net.InetSocketAddress;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The debug listener ({@code http.debug.addr}): {@code /debug/health} as registry:2 answers it, the
 * Prometheus metrics at {@code http.debug.prometheus.path}, and {@code /healthz} and {@code
 * /readyz}. It keeps answering while the registry port drains, so a drain can be watched.
 */
public final class DebugServer implements AutoCloseable {
  private static final int MAX_THREADS = 8;

  private final Server server;
  private final ServerConnector connector;

  /**
   * Builds the listener; {@link #start()} opens the port.
   *
   * @param settings the address and metrics path
   * @param address the address to listen on, {@code host:port} or {@code :port}
   * @param operations what the endpoints report
   */
  public DebugServer(DebugSettings settings, String address, Operations operations) {
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
    threads.setName("berth-debug");
    server = new Server(threads);
    connector = new ServerConnector(server, 1, 1);
    InetSocketAddress socket = ListenAddress.parse(address);
    String host = socket.getHostString();
    connector.setHost(host.isEmpty() || host.equals("0.0.0.0") ? null : host);
    connector.setPort(socket.getPort());
    server.addConnector(connector);
    OpsEndpoints endpoints = new OpsEndpoints(operations);
    String metricsPath = settings.prometheusPath();
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            if (path.equals(metricsPath)) {
              endpoints.metrics(response, callback);
            } else {
              switch (path) {
                case OpsEndpoints.DEBUG_HEALTH -> endpoints.debugHealth(response, callback);
                case OpsEndpoints.HEALTHZ -> endpoints.liveness(response, callback);
                case OpsEndpoints.READYZ -> endpoints.readiness(response, callback);
                default -> {
                  return false; // Jetty answers 404
                }
              }
            }
            return true;
          }
        });
  }

  /** Opens the port. */
  public void start() throws Exception {
    server.start();
  }

  /** The port the listener is bound to. */
  public int port() {
    return connector.getLocalPort();
  }

  /** Closes the port. */
  @Override
  public void close() throws Exception {
    server.stop();
  }
}
