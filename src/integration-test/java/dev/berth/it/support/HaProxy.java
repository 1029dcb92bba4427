package dev.berth.it.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's HAProxy in front of registry replicas on 127.0.0.1: {@code balance roundrobin} with no
 * stickiness and the server-side connection closed after each response, so every request may reach
 * another replica. Health checks ask {@code /readyz} every 250 ms; a connection that a replica
 * refuses (it stopped or drains) is retried on another one. Each answered request is logged to
 * standard output, which goes to a file that {@link #log()} parses, with the replica that served
 * it.
 *
 * <p>A request with the header {@link #PIN_HEADER} naming a server goes to that server while it is
 * up, so a fault test knows which replica holds the request it breaks.
 */
public final class HaProxy implements AutoCloseable {
  /** The header that pins a request to one server ({@code r1}, {@code r2}...). */
  public static final String PIN_HEADER = "X-Berth-Test-Replica";

  private static final int START_ATTEMPTS = 3;
  private static final String LOG_PREFIX = "berth-lb ";
  private static final Pattern LOG_LINE =
      Pattern.compile(
          "berth-lb method=(\\S+) server=(\\S+) status=(-?\\d+) retries=(\\S+) bytes_in=(\\d+)"
              + " uri=(\\S*)");

  private final BackgroundProcess process;
  private final int port;

  private HaProxy(BackgroundProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * One request HAProxy forwarded.
   *
   * @param method the HTTP method
   * @param server the server that answered, or {@code <NOSRV>}
   * @param status the status sent to the client
   * @param retries how often HAProxy retried the connection, {@code +} marking a redispatch
   * @param bytesIn the bytes the client sent, headers included
   * @param uri the request URI with its query
   */
  public record Entry(
      String method, String server, int status, String retries, long bytesIn, String uri) {}

  /**
   * Writes a configuration into {@code workDir}, starts {@code haproxy -db} and waits until it
   * accepts connections.
   *
   * @param workDir where the configuration and the log go
   * @param servers the server names ({@code r1}...) and the ports they listen on, in order
   */
  public static HaProxy start(Path workDir, Map<String, Integer> servers)
      throws IOException, InterruptedException {
    Files.createDirectories(workDir);
    String lastOutput = "";
    // A free port can be taken between the probe and the bind: then try another one.
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      int port = FreePort.find();
      Path config = workDir.resolve("haproxy-" + attempt + ".cfg");
      Files.writeString(config, config(port, servers));
      BackgroundProcess process =
          BackgroundProcess.start(
              workDir.resolve("haproxy-" + attempt + ".log"),
              Map.of(),
              List.of("haproxy", "-db", "-f", config.toString()));
      boolean listening =
          Http.await(Duration.ofSeconds(20), () -> !process.isAlive() || accepts(port));
      if (listening && process.isAlive()) {
        return new HaProxy(process, port);
      }
      lastOutput = process.output();
      process.close();
    }
    throw new AssertionError("haproxy did not start; its last output:\n" + lastOutput);
  }

  private static String config(int port, Map<String, Integer> servers) {
    List<String> lines =
        new ArrayList<>(
            List.of(
                "global",
                "  log stdout format raw local0 info",
                "  maxconn 1024",
                "defaults",
                "  mode http",
                "  log global",
                "  timeout connect 2s",
                "  timeout client 180s",
                "  timeout server 180s",
                "  timeout http-request 30s",
                "  timeout queue 10s",
                "  timeout check 2s",
                // A refused connection (a stopped or draining replica) is retried elsewhere.
                "  retries 3",
                "  option redispatch 1",
                // No keep-alive towards the replicas: each request is balanced on its own.
                "  option http-server-close",
                "  default-server inter 250ms fastinter 100ms downinter 250ms fall 2 rise 1",
                "frontend registry",
                "  bind 127.0.0.1:" + port,
                "  log-format \""
                    + LOG_PREFIX
                    + "method=%HM server=%s status=%ST retries=%rc"
                    + " bytes_in=%U uri=%HU\"",
                "  default_backend replicas",
                "backend replicas",
                "  balance roundrobin",
                "  option httpchk GET /readyz",
                "  http-check expect status 200"));
    for (String name : servers.keySet()) {
      lines.add("  use-server " + name + " if { req.hdr(" + PIN_HEADER + ") -m str " + name + " }");
    }
    servers.forEach(
        (name, serverPort) ->
            lines.add("  server " + name + " 127.0.0.1:" + serverPort + " check"));
    lines.add("");
    return String.join("\n", lines);
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The base URL, {@code http://127.0.0.1:port}. */
  public String url() {
    return "http://" + host();
  }

  /** The host as image references spell it, {@code 127.0.0.1:port}. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  /** The port it listens on. */
  public int port() {
    return port;
  }

  /** Every request logged so far, in order. */
  public List<Entry> log() {
    List<Entry> entries = new ArrayList<>();
    for (String line : process.output().split("\n", -1)) {
      Matcher m = LOG_LINE.matcher(line.strip());
      if (m.matches()) {
        entries.add(
            new Entry(
                m.group(1),
                m.group(2),
                Integer.parseInt(m.group(3)),
                m.group(4),
                Long.parseLong(m.group(5)),
                m.group(6)));
      }
    }
    return entries;
  }

  /**
   * Waits (bounded) until the log holds an entry that matches, since HAProxy logs a request just
   * after it answered it.
   */
  public List<Entry> awaitLogged(Predicate<Entry> wanted) throws InterruptedException {
    Http.await(Duration.ofSeconds(10), () -> log().stream().anyMatch(wanted));
    return log();
  }

  /**
   * Waits (bounded) until HAProxy's health checks see a server up or down: its last state message
   * says so (a server never reported is up, HAProxy's initial state).
   *
   * @return whether the state was reached in time
   */
  public boolean awaitServer(String server, boolean up) throws InterruptedException {
    return Http.await(Duration.ofSeconds(20), () -> isUp(server) == up);
  }

  private boolean isUp(String server) {
    String marker = "Server replicas/" + server + " is ";
    boolean up = true;
    for (String line : process.output().split("\n", -1)) {
      int at = line.indexOf(marker);
      if (at >= 0) {
        up = line.startsWith("UP", at + marker.length());
      }
    }
    return up;
  }

  /** What HAProxy printed so far: its log and its messages about servers going up and down. */
  public String output() {
    return process.output();
  }

  /** Stops HAProxy, bounded in time. */
  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
