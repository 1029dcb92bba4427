package dev.berth.config;

import java.util.Map;

/** What an operator should know when a setting Berth does not implement yet is set. */
final class NotYetImplemented {

  private static final Map<String, String> CONSEQUENCES =
      Map.ofEntries(
          Map.entry(
              "auth", "; berth serve refuses to start rather than serve without authentication"),
          Map.entry("http.tls", "; the listener serves plain HTTP"),
          Map.entry(
              "storage.cache.blobdescriptorsize",
              "; Berth keeps no in-process blob descriptor cache"),
          Map.entry("redis.tls.certificate", "; Berth connects without a client certificate"),
          Map.entry("redis.tls.key", "; Berth connects without a client certificate"),
          Map.entry("http.prefix", "; the registry is served at /v2/"),
          Map.entry("http.headers", "; responses carry no extra headers"),
          Map.entry("http.net", "; Berth listens on TCP"),
          Map.entry("health.file", "; only the storage driver is checked"),
          Map.entry("health.http", "; only the storage driver is checked"),
          Map.entry("health.tcp", "; only the storage driver is checked"),
          Map.entry("notifications", "; no events are sent"),
          Map.entry("proxy", "; the registry is not a pull-through cache"),
          Map.entry("validation", "; manifests are checked with Berth's fixed rules"));

  private NotYetImplemented() {}

  /** A clause starting with {@code ;} saying what happens instead, or empty. */
  static String consequence(String path) {
    return CONSEQUENCES.getOrDefault(path, "");
  }
}
