package dev.berth.config;

import java.util.Map;

/**
 * The exact {@code REGISTRY_*} variable set of the classic registry:2-on-S3 Kubernetes manifest (a
 * ReplicationController with {@code REGISTRY_STORAGE=S3}) that Berth must run with nothing but the
 * image changed; values are placeholders. The secret values are chosen so that reading them as YAML
 * would change them: {@code 0123} is the octal number 83, {@code on} a boolean.
 */
public final class SeedManifest {

  /** The access key placeholder. */
  public static final String ACCESS_KEY = "AKIAEXAMPLE";

  /** The secret key placeholder, a YAML octal number if it were not kept literally. */
  public static final String SECRET_KEY = "0123";

  /** The bucket placeholder. */
  public static final String BUCKET = "registry-bucket";

  /** The {@code http.secret} placeholder, a YAML boolean if it were not kept literally. */
  public static final String HTTP_SECRET = "on";

  private SeedManifest() {}

  /** The manifest's variables, exactly the names it sets. */
  public static Map<String, String> variables() {
    return Map.ofEntries(
        Map.entry("REGISTRY_HTTP_ADDR", ":5000"),
        Map.entry("REGISTRY_STORAGE", "S3"),
        Map.entry("REGISTRY_STORAGE_S3_ACCESSKEY", ACCESS_KEY),
        Map.entry("REGISTRY_STORAGE_S3_SECRETKEY", SECRET_KEY),
        Map.entry("REGISTRY_STORAGE_S3_REGION", "us-east-1"),
        Map.entry("REGISTRY_STORAGE_S3_BUCKET", BUCKET),
        Map.entry("REGISTRY_STORAGE_S3_ENCRYPT", "true"),
        Map.entry("REGISTRY_STORAGE_S3_SECURE", "true"),
        Map.entry("REGISTRY_STORAGE_S3_V4AUTH", "true"),
        Map.entry("REGISTRY_STORAGE_S3_CHUNKSIZE", "5242880"),
        Map.entry("REGISTRY_HTTP_SECRET", HTTP_SECRET));
  }
}
