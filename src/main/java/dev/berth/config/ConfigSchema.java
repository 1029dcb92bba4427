package dev.berth.config;

import static dev.berth.config.SchemaKey.Support.NOT_YET;
import static dev.berth.config.SchemaKey.Support.OBSOLETE;
import static dev.berth.config.SchemaKey.Support.UNSUPPORTED;

import dev.berth.config.SchemaKey.Kind;
import dev.berth.config.SchemaKey.Support;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Every key of registry:2's {@code config.yml} (2.x and 3.x spellings), with its default and
 * whether Berth implements it.
 *
 * @see <a
 *     href="https://github.com/distribution/distribution/blob/main/docs/content/about/configuration.md">registry:2
 *     configuration reference</a>
 */
final class ConfigSchema {

  /** The smallest S3 multipart part: 5 MiB. */
  static final long S3_MIN_PART = 5L * 1024 * 1024;

  /** The largest S3 multipart part: 5 GiB. */
  static final long S3_MAX_PART = 5L * 1024 * 1024 * 1024;

  /** The storage drivers Berth implements. */
  static final List<String> DRIVERS = List.of("filesystem", "inmemory", "s3");

  /** A free-form value, for keys below maps and free-form sections. */
  static final SchemaKey ANY_VALUE = any("", "");

  /** The root of the schema. */
  static final SchemaKey ROOT =
      section(
          "",
          "The whole configuration.",
          string("version", null, "The configuration format version; only 0.1 exists. Required.")
              .allowing("0.1"),
          log(),
          string("loglevel", null, "Deprecated spelling of log.level.")
              .allowing("error", "warn", "info", "debug")
              .aliasOf("log.level"),
          storage(),
          auth(),
          middleware(),
          http(),
          notifications(),
          redis(),
          health(),
          proxy(),
          validation(),
          section(
              "catalog",
              "The /v2/_catalog endpoint.",
              integer(
                  "maxentries",
                  1000L,
                  "The largest page the catalog returns; 0 or less means 1000.")),
          any("reporting", "2.x error reporting to Bugsnag or New Relic; removed in registry 3.")
              .support(OBSOLETE),
          any("compatibility", "2.x schema1 manifest support; removed in registry 3.")
              .support(OBSOLETE),
          any("policy", "2.x repository class policy; removed in registry 3.").support(OBSOLETE));

  private ConfigSchema() {}

  private static SchemaKey log() {
    return section(
        "log",
        "Logging to stderr.",
        section(
            "accesslog",
            "The per-request access log.",
            bool("disabled", false, "Turns the access log off.")),
        string("level", "info", "The least severe level logged.")
            .allowing("error", "warn", "info", "debug"),
        string("formatter", "text", "The log line format; Berth writes logstash as json.")
            .allowing("text", "json", "logstash"),
        map("fields", string("", null, ""), "Static fields added to every log line."),
        list("hooks", any("", ""), "Log hooks such as mail on panic.").support(NOT_YET),
        bool("reportcaller", false, "Adds the calling function to each line.").support(NOT_YET));
  }

  private static SchemaKey storage() {
    return choice(
        "storage",
        "The storage driver (exactly one) and the settings beside it. Required in a file.",
        section(
                "filesystem",
                "Local disk storage.",
                string("rootdirectory", "/var/lib/registry", "Where the registry tree is stored."),
                integer("maxthreads", 100L, "Concurrent filesystem operations, at least 25.")
                    .range(25L, null)
                    .support(NOT_YET))
            .asVariant(),
        section("inmemory", "Volatile storage in memory; for tests.").asVariant(),
        s3().asVariant(),
        any("s3aws", "registry:2's other name of the s3 driver.").asVariant().aliasOf("storage.s3"),
        any("azure", "Azure Blob Storage driver.").support(UNSUPPORTED).asVariant(),
        any("gcs", "Google Cloud Storage driver.").support(UNSUPPORTED).asVariant(),
        any("swift", "OpenStack Swift driver (2.x).").support(UNSUPPORTED).asVariant(),
        any("oss", "Alibaba OSS driver (2.x).").support(UNSUPPORTED).asVariant(),
        section(
            "delete", "Deleting blobs and manifests.", bool("enabled", false, "Allows DELETE.")),
        section(
            "redirect",
            "Redirecting blob downloads to the store.",
            bool("disable", false, "Serves blobs through the registry instead of redirecting.")),
        section(
            "cache",
            "The shared cache of blob descriptors and tags.",
            string(
                    "blobdescriptor",
                    null,
                    "redis caches in the redis section's server; inmemory caches nothing"
                        + " (a per-process cache would miss deletes made through other replicas).")
                .allowing("redis", "inmemory"),
            string("layerinfo", null, "2.x spelling of blobdescriptor.")
                .allowing("redis", "inmemory")
                .aliasOf("storage.cache.blobdescriptor"),
            integer(
                    "blobdescriptorsize",
                    10000L,
                    "Entries of registry:2's inmemory cache; Berth keeps none.")
                .range(0L, null)
                .support(NOT_YET)),
        section(
            "maintenance",
            "Background maintenance.",
            section(
                "uploadpurging",
                "Removes abandoned uploads.",
                bool("enabled", true, "Turns upload purging on."),
                duration("age", "168h", "Uploads older than this are removed."),
                duration("interval", "24h", "Time between purges."),
                bool("dryrun", false, "Only reports what would be removed.")),
            section(
                "readonly",
                "Read-only mode.",
                bool("enabled", false, "Refuses every write (push, delete)."))),
        section(
                "tag",
                "Tag lookups.",
                integer("concurrencylimit", 0L, "Parallel tag reads on manifest delete; 0 = CPUs.")
                    .range(0L, null))
            .support(NOT_YET));
  }

  private static SchemaKey s3() {
    return section(
        "s3",
        "Amazon S3 and compatible object stores.",
        string(
            "accesskey",
            null,
            "Static access key; unset uses the AWS SDK's default chain (environment, web"
                + " identity, profile, container, instance metadata)."),
        string("secretkey", null, "Static secret key.").asSecret(),
        string(
                "sessiontoken",
                null,
                "Session token of temporary static keys (X-Amz-Security-Token).")
            .asSecret(),
        string("region", null, "The AWS region; required unless regionendpoint is set."),
        string("regionendpoint", null, "Custom endpoint (MinIO, Ceph RGW, ...)."),
        bool("forcepathstyle", false, "Path-style addressing; true when regionendpoint is set."),
        string("bucket", null, "The bucket. Required."),
        bool("encrypt", false, "Server-side encryption."),
        string("keyid", null, "KMS key for server-side encryption."),
        bool("secure", true, "Uses HTTPS."),
        bool("skipverify", false, "Skips TLS certificate checks."),
        bool("v4auth", true, "Signs with SigV4; false (SigV2) is not supported."),
        bytes("chunksize", 10L * 1024 * 1024, "Multipart upload part size.")
            .range(S3_MIN_PART, S3_MAX_PART),
        bytes("multipartcopychunksize", 32L * 1024 * 1024, "Part size of server-side copies.")
            .range(S3_MIN_PART, S3_MAX_PART),
        integer("multipartcopymaxconcurrency", 100L, "Parallel parts of a server-side copy.")
            .range(1L, null),
        bytes("multipartcopythresholdsize", 32L * 1024 * 1024, "Copies above this are multipart.")
            .range(0L, S3_MAX_PART),
        string("rootdirectory", "", "Key prefix inside the bucket."),
        string("storageclass", "STANDARD", "Storage class of new objects; NONE sends none.")
            .allowing(
                "STANDARD",
                "REDUCED_REDUNDANCY",
                "STANDARD_IA",
                "ONEZONE_IA",
                "INTELLIGENT_TIERING",
                "GLACIER_IR",
                "OUTPOSTS",
                "EXPRESS_ONEZONE",
                "NONE"),
        string("objectacl", "private", "Canned ACL of new objects; private sends none.")
            .allowing(
                "private",
                "public-read",
                "public-read-write",
                "authenticated-read",
                "aws-exec-read",
                "bucket-owner-read",
                "bucket-owner-full-control"),
        string("useragent", null, "Text appended to the SDK's User-Agent."),
        bool(
            "usedualstack", false, "AWS dual-stack (IPv6) endpoints; ignored with regionendpoint."),
        bool(
            "accelerate",
            false,
            "S3 Transfer Acceleration endpoints, overriding forcepathstyle; ignored with"
                + " regionendpoint."),
        string("loglevel", "off", "AWS SDK log level."),
        string("objectownership", null, "Bucket owner enforced ACL mode (3.x).").support(NOT_YET),
        bool("checksumdisabled", false, "Turns request checksums off (3.x).").support(NOT_YET),
        string("checksumalgorithm", null, "Request checksum algorithm (3.x).").support(NOT_YET));
  }

  private static SchemaKey auth() {
    return choice(
            "auth",
            "Authentication; at most one provider.",
            section(
                    "silly",
                    "Development-only check for any Authorization header.",
                    string("realm", null, "Realm of the challenge."),
                    string("service", null, "Service of the challenge."))
                .asVariant(),
            section(
                    "token",
                    "Bearer tokens from an external token service.",
                    string("realm", null, "The token service URL."),
                    string("service", null, "The service name in tokens."),
                    string("issuer", null, "The token issuer."),
                    string("rootcertbundle", null, "Certificates that sign tokens."),
                    string("jwks", null, "JSON Web Key Set that signs tokens (3.x)."),
                    bool("autoredirect", false, "Derives the realm from the request's host."),
                    string("autoredirectpath", "/auth/token/", "Path used with autoredirect."),
                    list("signingalgorithms", string("", null, ""), "Accepted signing algorithms."))
                .asVariant(),
            section(
                    "htpasswd",
                    "Basic authentication from an htpasswd file (bcrypt).",
                    string("realm", null, "Realm of the challenge."),
                    string("path", null, "The htpasswd file."))
                .asVariant(),
            section("none", "No authentication (3.x).").asVariant())
        .support(NOT_YET);
  }

  private static SchemaKey middleware() {
    SchemaKey entry =
        section(
            "",
            "",
            string("name", null, "The middleware's registered name."),
            bool("disabled", false, "Turns the entry off."),
            any("options", "Options passed to the middleware."));
    return section(
            "middleware",
            "Middleware hooks.",
            list("registry", entry, "Registry middleware."),
            list("repository", entry, "Repository middleware."),
            list("storage", entry, "Storage middleware such as cloudfront or redirect."))
        .support(NOT_YET);
  }

  private static SchemaKey http() {
    SchemaKey headerValues = list("", string("", null, ""), "");
    return section(
        "http",
        "The HTTP listener.",
        string("addr", ":5000", "Listen address, host:port or :port."),
        string("net", "tcp", "tcp or unix.").allowing("tcp", "unix").support(NOT_YET),
        string("prefix", null, "Path before /v2/, with leading and trailing slash.")
            .support(NOT_YET),
        string("host", null, "External base URL used in Location headers."),
        string("secret", null, "Key that signs upload state; replicas must share it.").asSecret(),
        bool("relativeurls", false, "Relative Location headers."),
        duration("draintimeout", "30s", "How long shutdown waits for requests in flight."),
        section(
                "tls",
                "TLS for the listener.",
                string("certificate", null, "Certificate file."),
                string("key", null, "Private key file."),
                list("clientcas", string("", null, ""), "CA files for client certificates."),
                string("clientauth", "require-and-verify-client-cert", "Client certificate mode.")
                    .allowing(
                        "request-client-cert",
                        "require-any-client-cert",
                        "verify-client-cert-if-given",
                        "require-and-verify-client-cert"),
                string("minimumtls", "tls1.2", "Lowest TLS version.")
                    .allowing("tls1.0", "tls1.1", "tls1.2", "tls1.3"),
                list("ciphersuites", string("", null, ""), "Allowed cipher suites."),
                section(
                    "letsencrypt",
                    "Certificates from an ACME server.",
                    string("cachefile", null, "ACME cache file."),
                    string("email", null, "ACME account email."),
                    list("hosts", string("", null, ""), "Allowed host names."),
                    string("directoryurl", null, "ACME directory URL.")))
            .support(NOT_YET),
        map("headers", headerValues, "Headers added to every response.").support(NOT_YET),
        section(
            "debug",
            "Debug server with /debug/health and metrics; off unless addr is set.",
            string("addr", null, "Debug listen address, host:port or :port."),
            section(
                "prometheus",
                "Prometheus metrics on the debug server.",
                bool("enabled", false, "Accepted; Berth serves metrics whenever addr is set."),
                string("path", "/metrics", "Metrics path on the debug server."))),
        section("http2", "HTTP/2 over TLS.", bool("disabled", false, "Turns HTTP/2 off."))
            .support(NOT_YET),
        section("h2c", "HTTP/2 without TLS.", bool("enabled", false, "Turns h2c on."))
            .support(NOT_YET));
  }

  private static SchemaKey notifications() {
    SchemaKey endpoint =
        section(
            "",
            "",
            string("name", null, "Endpoint name."),
            bool("disabled", false, "Turns the endpoint off."),
            string("url", null, "Where events are posted."),
            map("headers", list("", string("", null, ""), ""), "Static request headers."),
            duration("timeout", null, "HTTP timeout."),
            integer("threshold", null, "Failures before backing off."),
            duration("backoff", null, "Back-off after failures."),
            list("ignoredmediatypes", string("", null, ""), "2.x: media types not sent."),
            section(
                "ignore",
                "Events not sent.",
                list("mediatypes", string("", null, ""), "Media types not sent."),
                list("actions", string("", null, ""), "Actions not sent.")));
    return section(
            "notifications",
            "Webhook notifications.",
            section(
                "events",
                "Event content.",
                bool("includereferences", false, "Adds references to manifest events.")),
            list("endpoints", endpoint, "Webhook endpoints."))
        .support(NOT_YET);
  }

  private static SchemaKey redis() {
    return section(
        "redis",
        "The Redis server of storage.cache.blobdescriptor: redis.",
        string("addr", null, "2.x: the server, host:port.").aliasOf("redis.addrs"),
        list(
            "addrs",
            string("", null, ""),
            "3.x: servers, host:port; Berth uses the first (no Cluster or Sentinel)."),
        string("username", null, "User name (Redis 6 ACLs)."),
        string("password", null, "Password.").asSecret(),
        integer("db", 0L, "Database number; one per registry storage.").range(0L, null),
        duration("dialtimeout", "5s", "Connect timeout."),
        duration("readtimeout", "3s", "How long a reply may take."),
        duration("writetimeout", null, "How long sending may take; unset is readtimeout."),
        integer("maxidleconns", null, "3.x: idle connections kept; unset is the pool size.")
            .range(0L, null),
        integer("poolsize", null, "3.x: connections at most; unset or 0 is 10 per CPU.")
            .range(0L, null),
        duration(
            "connmaxidletime", null, "3.x: idle connections are closed after this; unset 30m."),
        section(
            "pool",
            "2.x connection pool.",
            integer("maxidle", null, "2.x spelling of maxidleconns.").range(0L, null),
            integer("maxactive", null, "2.x spelling of poolsize.").range(0L, null),
            duration("idletimeout", null, "2.x spelling of connmaxidletime.")),
        section(
            "tls",
            "TLS to Redis.",
            bool("enabled", false, "Connects with TLS."),
            string("certificate", null, "Client certificate.").support(NOT_YET),
            string("key", null, "Client key.").support(NOT_YET),
            list(
                "clientcas",
                string("", null, ""),
                "PEM files of the CAs that sign the server's certificate; unset is the JVM's.")));
  }

  private static SchemaKey health() {
    SchemaKey headers = map("headers", list("", string("", null, ""), ""), "Request headers.");
    return section(
        "health",
        "Periodic health checks; their state is /readyz and /debug/health.",
        section(
            "storagedriver",
            "Checks the storage driver.",
            bool("enabled", false, "Lists the check on /debug/health; /readyz always checks."),
            duration("interval", "10s", "Time between checks."),
            integer("threshold", null, "Failures in a row before unhealthy; unset means 1.")),
        list(
                "file",
                section(
                    "",
                    "",
                    string("file", null, "Unhealthy while this file exists."),
                    duration("interval", "10s", "Time between checks."),
                    integer("threshold", null, "Failures before unhealthy.")),
                "File checks.")
            .support(NOT_YET),
        list(
                "http",
                section(
                    "",
                    "",
                    string("uri", null, "URI to HEAD."),
                    headers,
                    integer("statuscode", 200L, "Expected status."),
                    duration("timeout", null, "Request timeout."),
                    duration("interval", "10s", "Time between checks."),
                    integer("threshold", null, "Failures before unhealthy.")),
                "HTTP checks.")
            .support(NOT_YET),
        list(
                "tcp",
                section(
                    "",
                    "",
                    string("addr", null, "host:port to connect to."),
                    duration("timeout", null, "Connect timeout."),
                    duration("interval", "10s", "Time between checks."),
                    integer("threshold", null, "Failures before unhealthy.")),
                "TCP checks.")
            .support(NOT_YET));
  }

  private static SchemaKey proxy() {
    return section(
            "proxy",
            "Pull-through cache of a remote registry.",
            string("remoteurl", null, "The upstream registry."),
            string("username", null, "Upstream user."),
            string("password", null, "Upstream password.").asSecret(),
            section(
                "exec",
                "Credential helper.",
                string("command", null, "The helper command."),
                duration("lifetime", null, "How long its credentials are reused.")),
            duration("ttl", "168h", "Cache lifetime; 0 keeps forever."),
            string("remotenamespace", null, "Namespace prefixed to upstream names."))
        .support(NOT_YET);
  }

  private static SchemaKey validation() {
    return section(
            "validation",
            "Content validation on push.",
            bool("enabled", false, "2.x: turns the options on.").aliasOf("validation.disabled"),
            bool("disabled", false, "3.x: turns the options off."),
            section(
                "manifests",
                "Manifest validation.",
                section(
                    "urls",
                    "Foreign layer URLs.",
                    list("allow", string("", null, ""), "Allowed URL patterns."),
                    list("deny", string("", null, ""), "Denied URL patterns.")),
                section(
                    "indexes",
                    "Image index validation.",
                    string("platforms", "all", "Which platforms must exist.")
                        .allowing("all", "none", "list"),
                    list(
                        "platformlist",
                        section(
                            "",
                            "",
                            string("architecture", null, "Architecture."),
                            string("os", null, "Operating system.")),
                        "Platforms checked with platforms: list."))))
        .support(NOT_YET);
  }

  private static SchemaKey section(String name, String doc, SchemaKey... children) {
    return key(name, Kind.SECTION, null, doc, List.of(children), null);
  }

  private static SchemaKey choice(String name, String doc, SchemaKey... children) {
    return key(name, Kind.CHOICE, null, doc, List.of(children), null);
  }

  private static SchemaKey string(String name, @Nullable String def, String doc) {
    return key(name, Kind.STRING, def, doc, List.of(), null);
  }

  private static SchemaKey bool(String name, boolean def, String doc) {
    return key(name, Kind.BOOLEAN, Boolean.toString(def), doc, List.of(), null);
  }

  private static SchemaKey integer(String name, @Nullable Long def, String doc) {
    return key(name, Kind.INTEGER, def == null ? null : def.toString(), doc, List.of(), null);
  }

  private static SchemaKey bytes(String name, long def, String doc) {
    return key(name, Kind.BYTES, Long.toString(def), doc, List.of(), null);
  }

  private static SchemaKey duration(String name, @Nullable String def, String doc) {
    return key(name, Kind.DURATION, def, doc, List.of(), null);
  }

  private static SchemaKey list(String name, SchemaKey element, String doc) {
    return key(name, Kind.LIST, null, doc, List.of(), element);
  }

  private static SchemaKey map(String name, SchemaKey element, String doc) {
    return key(name, Kind.MAP, null, doc, List.of(), element);
  }

  private static SchemaKey any(String name, String doc) {
    return key(name, Kind.ANY, null, doc, List.of(), null);
  }

  private static SchemaKey key(
      String name,
      Kind kind,
      @Nullable String def,
      String doc,
      List<SchemaKey> children,
      @Nullable SchemaKey element) {
    return new SchemaKey(
        name,
        kind,
        def,
        Support.IMPLEMENTED,
        false,
        null,
        null,
        List.of(),
        children,
        element,
        false,
        null,
        doc);
  }
}
