package dev.berth.it.support;

import dev.berth.storage.driver.s3.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Several Berth replicas on one S3 bucket behind HAProxy, as a Kubernetes Service would run them:
 * one S3Proxy process, N {@code berth.jar} processes sharing the bucket and {@code http.secret}
 * (small heaps), and one {@link HaProxy} that spreads requests round robin with no stickiness.
 * Tests talk to {@link #url()}; they may also reach, kill, stop or restart a replica directly.
 * {@link #close()} stops every process, also after a failed test.
 */
public final class ReplicaCluster implements AutoCloseable {
  /** The bucket the replicas share. */
  public static final String BUCKET = "registry";

  private static final List<String> JVM_OPTIONS =
      List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k");

  private final Path workDir;
  private final S3ProxyServer s3;
  private final BerthServer.Options options;
  private final List<@Nullable BerthServer> replicas;
  private final List<Integer> ports;
  private final List<BerthServer> extras = new ArrayList<>();
  private @Nullable HaProxy haProxy;

  private ReplicaCluster(Path workDir, S3ProxyServer s3, BerthServer.Options options, int count) {
    this.workDir = workDir;
    this.s3 = s3;
    this.options = options;
    this.replicas = new ArrayList<>();
    this.ports = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      replicas.add(null);
      ports.add(0);
    }
  }

  /**
   * Starts S3Proxy, the replicas (in parallel) and HAProxy, and waits until all answer.
   *
   * @param workDir where configurations and logs go
   * @param count how many replicas
   * @param deleteEnabled {@code storage.delete.enabled} of every replica
   */
  public static ReplicaCluster start(Path workDir, int count, boolean deleteEnabled)
      throws Exception {
    return start(workDir, count, deleteEnabled, "");
  }

  /**
   * Starts the cluster with the Redis cache: every replica sets {@code
   * storage.cache.blobdescriptor: redis} and {@code redis.addr}.
   *
   * @param redisAddr the Redis server's {@code host:port}; empty for no cache
   */
  public static ReplicaCluster start(
      Path workDir, int count, boolean deleteEnabled, String redisAddr) throws Exception {
    Files.createDirectories(workDir);
    S3ProxyServer s3 = S3ProxyServer.filesystem();
    ReplicaCluster cluster = null;
    try {
      s3.start();
      s3.createBucket(BUCKET);
      String storage = storage(s3);
      String topLevel = "";
      if (!redisAddr.isEmpty()) {
        storage += "\n  cache:\n    blobdescriptor: redis";
        topLevel = "redis:\n  addr: " + redisAddr + "\n  dialtimeout: 1s\n  readtimeout: 1s\n";
      }
      BerthServer.Options options =
          new BerthServer.Options(
              storage, deleteEnabled, BerthServer.SECRET, 0, JVM_OPTIONS, "10s", topLevel);
      cluster = new ReplicaCluster(workDir, s3, options, count);
      cluster.startReplicas();
      Map<String, Integer> servers = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        servers.put(name(i), cluster.ports.get(i));
      }
      cluster.haProxy = HaProxy.start(workDir.resolve("haproxy"), servers);
      return cluster;
    } catch (Exception | AssertionError e) {
      if (cluster != null) {
        cluster.close();
      } else {
        s3.close();
      }
      throw e;
    }
  }

  private void startReplicas() throws Exception {
    ExecutorService starter = Executors.newFixedThreadPool(replicas.size());
    try {
      List<Future<BerthServer>> started = new ArrayList<>();
      for (int i = 0; i < replicas.size(); i++) {
        Path dir = workDir.resolve(name(i));
        started.add(starter.submit(() -> BerthServer.startProcess(dir, options)));
      }
      Exception failure = null;
      for (int i = 0; i < started.size(); i++) {
        try {
          BerthServer server = started.get(i).get(90, TimeUnit.SECONDS);
          replicas.set(i, server);
          ports.set(i, server.port());
        } catch (Exception e) {
          failure = failure == null ? e : failure;
        }
      }
      if (failure != null) {
        throw failure;
      }
    } finally {
      starter.shutdownNow();
    }
  }

  private static String storage(S3ProxyServer s3) {
    return String.join(
        "\n",
        "  s3:",
        "    accesskey: " + S3ProxyServer.ACCESS_KEY,
        "    secretkey: " + S3ProxyServer.SECRET_KEY,
        "    region: us-east-1",
        "    regionendpoint: " + s3.endpoint(),
        "    forcepathstyle: true",
        "    secure: false",
        "    bucket: " + BUCKET,
        "    rootdirectory: /berth",
        // Blob bytes flow through the replicas (and HAProxy), which is what these tests examine.
        "  redirect:",
        "    disable: true");
  }

  /** HAProxy's server name of replica {@code index}: {@code r1}, {@code r2}... */
  public static String name(int index) {
    return "r" + (index + 1);
  }

  /** How many replicas the cluster has. */
  public int size() {
    return replicas.size();
  }

  /** HAProxy's base URL, {@code http://127.0.0.1:port}: the registry as clients see it. */
  public String url() {
    return haProxy().url();
  }

  /** HAProxy's host as image references spell it. */
  public String host() {
    return haProxy().host();
  }

  /** The load balancer, for its log. */
  public HaProxy haProxy() {
    if (haProxy == null) {
      throw new IllegalStateException("the cluster is not started");
    }
    return haProxy;
  }

  /** Replica {@code index}, reached directly. */
  public BerthServer replica(int index) {
    BerthServer replica = replicas.get(index);
    if (replica == null) {
      throw new IllegalStateException(name(index) + " is not running");
    }
    return replica;
  }

  /** The S3 server behind the replicas. */
  public S3ProxyServer s3() {
    return s3;
  }

  /** How the replicas are configured. */
  public BerthServer.Options options() {
    return options;
  }

  /**
   * Starts one more replica on the same bucket, outside HAProxy (stopped with the cluster).
   *
   * @param extraOptions its options, usually {@link #options()} changed a little
   */
  public BerthServer startExtra(BerthServer.Options extraOptions) throws Exception {
    BerthServer extra =
        BerthServer.startProcess(workDir.resolve("extra-" + extras.size()), extraOptions);
    extras.add(extra);
    return extra;
  }

  /**
   * Starts replica {@code index} again on its port when it is not running (after a test killed or
   * stopped it), and waits until HAProxy sees it up.
   */
  public void restartIfStopped(int index) throws Exception {
    BerthServer replica = replicas.get(index);
    if (replica != null && replica.isAlive()) {
      return;
    }
    if (replica != null) {
      replica.close();
    }
    replicas.set(index, null);
    BerthServer started =
        BerthServer.startProcess(workDir.resolve(name(index)), options.onPort(ports.get(index)));
    replicas.set(index, started);
    if (!haProxy().awaitServer(name(index), true)) {
      throw new AssertionError(name(index) + " restarted but HAProxy never saw it up");
    }
  }

  /** Stops HAProxy, every replica and S3Proxy, each bounded in time. */
  @Override
  public void close() throws InterruptedException {
    List<AutoCloseable> all = new ArrayList<>();
    if (haProxy != null) {
      all.add(haProxy);
    }
    all.addAll(extras);
    for (BerthServer replica : replicas) {
      if (replica != null) {
        all.add(replica);
      }
    }
    all.add(s3);
    AssertionError failure = null;
    for (AutoCloseable closeable : all) {
      try {
        closeable.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = failure == null ? new AssertionError("interrupted while stopping", e) : failure;
      } catch (Exception e) {
        failure = failure == null ? new AssertionError("failed to stop " + closeable, e) : failure;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
