package dev.berth.http;

import dev.berth.config.Configuration;
import dev.berth.config.HttpSettings;
import dev.berth.registry.Registry;
import dev.berth.registry.UploadToken;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;

/**
 * The registry's HTTP server: Jetty with HTTP/1.1 and cleartext HTTP/2, handlers on virtual
 * threads, and a graceful stop that lets requests in flight finish within {@code
 * http.draintimeout}.
 */
public final class RegistryServer implements AutoCloseable {
  private static final int INPUT_BUFFER_BYTES = 256 * 1024;

  private final Server server;
  private final ServerConnector connector;
  private final Operations operations;

  /**
   * Runs the slowest static set-up of Jetty ahead of the server's construction, so that another
   * thread can do it while this one is busy: {@link MimeTypes} lists every locale of the JDK.
   */
  public static void prepare() {
    Objects.requireNonNull(MimeTypes.DEFAULTS);
  }

  /**
   * Builds the server without health checks and with metrics of its own; {@link #start()} opens the
   * port.
   *
   * @param configuration the registry's configuration
   * @param registry the registry services
   * @param secret the secret that signs upload state
   */
  public RegistryServer(Configuration configuration, Registry registry, String secret) {
    this(configuration, registry, secret, Operations.standalone());
  }

  /**
   * Builds the server; {@link #start()} opens the port.
   *
   * @param configuration the registry's configuration
   * @param registry the registry services
   * @param secret the secret that signs upload state
   * @param operations readiness and metrics
   */
  public RegistryServer(
      Configuration configuration, Registry registry, String secret, Operations operations) {
    this.operations = operations;
    HttpSettings http = configuration.http();
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("berth-http");
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server = new Server(threads);

    HttpConfiguration httpConfig = new HttpConfiguration();
    httpConfig.setSendServerVersion(false);
    httpConfig.setSendXPoweredBy(false);
    HttpConnectionFactory http1 = new HttpConnectionFactory(httpConfig);
    // Blob uploads arrive as large bodies: reading them in big chunks keeps the per-chunk cost
    // (a wake-up, a write, a digest update) small against the bytes moved.
    http1.setInputBufferSize(INPUT_BUFFER_BYTES);
    connector = new ServerConnector(server, http1, new HTTP2CServerConnectionFactory(httpConfig));
    InetSocketAddress address = ListenAddress.parse(http.addr());
    String host = address.getHostString();
    connector.setHost(host.isEmpty() || host.equals("0.0.0.0") ? null : host);
    connector.setPort(address.getPort());
    server.addConnector(connector);

    Locations locations = new Locations(http.host(), http.relativeUrls());
    boolean deleteEnabled = configuration.storage().deleteEnabled();
    RegistryHandler handler =
        new RegistryHandler(
            new BlobEndpoints(registry, deleteEnabled, !configuration.storage().redirectDisabled()),
            new UploadEndpoints(registry, new UploadToken(secret), locations),
            new ManifestEndpoints(registry, locations, deleteEnabled),
            new ListingEndpoints(registry, configuration.catalog().maxEntries()),
            !configuration.log().accessLogDisabled(),
            operations.requests(),
            configuration.storage().readOnly());
    server.setHandler(new GracefulHandler(new OpsHandler(operations, handler)));
    server.setErrorHandler(new JsonErrorHandler());
    server.setStopTimeout(http.drainTimeout().toMillis());
  }

  /** Opens the port and starts serving. */
  public void start() throws Exception {
    server.start();
  }

  /** The port the server listens on (useful when it was configured as 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** The host the server is bound to, or null for all interfaces. */
  public @Nullable String host() {
    return connector.getHost();
  }

  /** Blocks until the server has stopped. */
  public void join() throws InterruptedException {
    server.join();
  }

  /**
   * Turns readiness off, stops accepting, lets requests in flight finish within the drain timeout,
   * then stops.
   */
  @Override
  public void close() throws Exception {
    operations.health().drain();
    server.stop();
  }
}
