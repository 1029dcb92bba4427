package dev.berth.config;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@code storage.cache.blobdescriptor} chose: no shared cache, or Redis with the {@code redis}
 * section's connection settings.
 *
 * <p>{@code blobdescriptor: inmemory} is {@link Off}: Berth keeps no blob descriptor cache per
 * process, because one replica's cache cannot see a blob deleted through another.
 */
public sealed interface CacheSettings {

  /** Every blob and tag lookup reads storage (besides the in-process cache of manifests). */
  record Off() implements CacheSettings {}

  /**
   * The Redis cache ({@code blobdescriptor: redis}).
   *
   * @param host the server of {@code redis.addr} (or the first of {@code redis.addrs})
   * @param port its port
   * @param username {@code redis.username}, for Redis ACLs; null sends none
   * @param password {@code redis.password}; null sends none
   * @param database {@code redis.db} (default 0)
   * @param dialTimeout {@code redis.dialtimeout}: connect timeout (default 5s)
   * @param readTimeout {@code redis.readtimeout}: how long a reply may take (default 3s)
   * @param writeTimeout {@code redis.writetimeout}: how long a request may take to send (default
   *     the read timeout); Java sockets have one timeout, the larger of the two
   * @param poolSize {@code redis.poolsize} / {@code redis.pool.maxactive}: connections at most
   *     (default 10 per CPU)
   * @param maxIdle {@code redis.maxidleconns} / {@code redis.pool.maxidle}: idle connections kept
   *     (default the pool size)
   * @param idleTimeout {@code redis.connmaxidletime} / {@code redis.pool.idletimeout}: an idle
   *     connection is closed after this (default 30m; 0 keeps it)
   * @param tls {@code redis.tls.enabled}: connects with TLS (default false)
   * @param clientCas {@code redis.tls.clientcas}: PEM files of the CAs the server's certificate is
   *     checked against; empty uses the JVM's trusted CAs
   */
  record Redis(
      String host,
      int port,
      @Nullable String username,
      @Nullable String password,
      int database,
      Duration dialTimeout,
      Duration readTimeout,
      Duration writeTimeout,
      int poolSize,
      int maxIdle,
      Duration idleTimeout,
      boolean tls,
      List<String> clientCas)
      implements CacheSettings {

    /** Copies the list so the record is immutable. */
    public Redis {
      clientCas = List.copyOf(clientCas);
    }

    /** {@code host:port}, as logs name the server. */
    public String address() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Never prints the password. */
    @Override
    public String toString() {
      return "Redis[" + address() + ", db " + database + (tls ? ", tls" : "") + "]";
    }
  }
}
