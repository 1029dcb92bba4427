package dev.berth.config;

import dev.berth.config.SchemaKey.Support;
import dev.berth.config.StorageSettings.Driver;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Binds the {@code storage} section: exactly one driver and the settings beside it. */
final class StorageBinder {

  private final TreeReader reader;
  private final List<Problem> problems;

  StorageBinder(TreeReader reader, List<Problem> problems) {
    this.reader = reader;
    this.problems = problems;
  }

  StorageSettings bind() {
    Driver driver = driver().orElseGet(() -> new StorageSettings.Filesystem(Path.of("data")));
    var purging =
        new UploadPurging(
            reader.bool("storage.maintenance.uploadpurging.enabled"),
            reader.duration("storage.maintenance.uploadpurging.age"),
            reader.duration("storage.maintenance.uploadpurging.interval"),
            reader.bool("storage.maintenance.uploadpurging.dryrun"));
    return new StorageSettings(
        driver,
        reader.bool("storage.delete.enabled"),
        reader.bool("storage.redirect.disable"),
        reader.bool("storage.maintenance.readonly.enabled"),
        purging,
        (int) Math.min(Integer.MAX_VALUE, reader.number("storage.tag.concurrencylimit")));
  }

  private Optional<Driver> driver() {
    SchemaKey storage = ConfigSchema.ROOT.child("storage").orElseThrow();
    List<String> drivers =
        reader.keys("storage").stream()
            .filter(k -> storage.child(k).map(SchemaKey::variant).orElse(false))
            .toList();
    if (drivers.isEmpty()) {
      problems.add(
          new Problem(
              "storage",
              "no storage driver is configured: add one of "
                  + TreeChecker.variantNames(storage)
                  + " (or set REGISTRY_STORAGE=s3, for example)"));
      return Optional.empty();
    }
    if (drivers.size() > 1) {
      String listed =
          drivers.stream()
              .map(
                  d ->
                      d
                          + " ("
                          + reader.node("storage." + d).map(n -> n.origin().describe()).orElse("?")
                          + ")")
              .collect(Collectors.joining(", "));
      problems.add(
          new Problem(
              "storage",
              "only one storage driver may be configured, found "
                  + listed
                  + "; choose one, e.g. with REGISTRY_STORAGE=s3"));
      return Optional.empty();
    }
    String name = drivers.get(0);
    SchemaKey schema = storage.child(name).orElseThrow();
    if (schema.support() == Support.UNSUPPORTED) {
      problems.add(
          new Problem(
              reader.subject("storage." + name),
              "the "
                  + name
                  + " storage driver is not supported by Berth; use one of "
                  + TreeChecker.variantNames(storage)));
      return Optional.empty();
    }
    return Optional.of(
        switch (name) {
          case "filesystem" ->
              new StorageSettings.Filesystem(
                  Path.of(reader.string("storage.filesystem.rootdirectory", "/var/lib/registry")));
          case "inmemory" -> new StorageSettings.InMemory();
          default -> s3();
        });
  }

  private Driver s3() {
    String p = "storage.s3.";
    String bucket = reader.string(p + "bucket", "");
    if (bucket.isBlank() && !reportedAlready(p + "bucket")) {
      required(p + "bucket", "the bucket to store the registry in");
    }
    String region = reader.string(p + "region");
    String endpoint = reader.string(p + "regionendpoint");
    if ((region == null || region.isBlank())
        && (endpoint == null || endpoint.isBlank())
        && !reportedAlready(p + "region")
        && !reportedAlready(p + "regionendpoint")) {
      required(p + "region", "the bucket's AWS region (or set regionendpoint for other stores)");
    }
    String accessKey = reader.string(p + "accesskey");
    String secretKey = reader.string(p + "secretkey");
    if ((accessKey == null) != (secretKey == null)) {
      String missing = accessKey == null ? "accesskey" : "secretkey";
      problems.add(
          new Problem(
              p + missing,
              "is required when "
                  + (accessKey == null ? "secretkey" : "accesskey")
                  + " is set: give both static keys, or neither to use the default credential"
                  + " chain (REGISTRY_STORAGE_S3_"
                  + missing.toUpperCase(Locale.ROOT)
                  + ")"));
    }
    if (!reader.bool(p + "v4auth")) {
      problems.add(
          new Problem(
              reader.subject(p + "v4auth"),
              "Berth signs every request with AWS Signature Version 4; remove v4auth or set it"
                  + " to true"));
    }
    boolean pathStyle =
        reader.isSet(p + "forcepathstyle")
            ? reader.bool(p + "forcepathstyle")
            : endpoint != null && !endpoint.isBlank();
    return new StorageSettings.S3(
        accessKey,
        secretKey,
        reader.string(p + "sessiontoken"),
        region,
        endpoint,
        pathStyle,
        bucket,
        reader.bool(p + "encrypt"),
        reader.string(p + "keyid"),
        reader.bool(p + "secure"),
        reader.bool(p + "skipverify"),
        reader.bool(p + "v4auth"),
        reader.number(p + "chunksize"),
        reader.number(p + "multipartcopychunksize"),
        (int) Math.min(Integer.MAX_VALUE, reader.number(p + "multipartcopymaxconcurrency")),
        reader.number(p + "multipartcopythresholdsize"),
        reader.string(p + "rootdirectory", ""),
        canonical(p + "storageclass"),
        canonical(p + "objectacl"),
        reader.string(p + "useragent"),
        reader.bool(p + "usedualstack"),
        reader.bool(p + "accelerate"),
        reader.string(p + "loglevel", "off"));
  }

  /** An enumerated value in the schema's spelling (they match ignoring case). */
  private String canonical(String path) {
    String value = reader.string(path, "");
    return TreeReader.schema(path).allowed().stream()
        .filter(a -> a.equalsIgnoreCase(value.strip()))
        .findFirst()
        .orElse(value);
  }

  /** Whether a key holds a list or map, which the tree checker has reported already. */
  private boolean reportedAlready(String path) {
    return reader.node(path).filter(n -> !(n instanceof ConfigNode.Scalar)).isPresent();
  }

  private void required(String path, String what) {
    problems.add(
        new Problem(
            path,
            "is required: "
                + what
                + "; set it in the file or with "
                + VariableNames.variableFor(path)));
  }
}
