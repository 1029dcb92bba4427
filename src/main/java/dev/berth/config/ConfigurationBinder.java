package dev.berth.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Binds a checked configuration tree into {@link Configuration}, adding cross-key problems. */
final class ConfigurationBinder {

  private static final Pattern TCP_ADDR = Pattern.compile("(\\[[^\\]]*]|[^:\\[\\]]*):(\\d{1,5})");

  private final TreeReader reader;
  private final List<Problem> problems;
  private final List<String> warnings;

  ConfigurationBinder(TreeReader reader, List<Problem> problems, List<String> warnings) {
    this.reader = reader;
    this.problems = problems;
    this.warnings = warnings;
  }

  Configuration bind(boolean fromFile) {
    if (fromFile && !reader.isSet("version")) {
      problems.add(new Problem("version", "is required in a configuration file: add version: 0.1"));
    }
    if (fromFile && !reader.isSet("storage")) {
      problems.add(
          new Problem(
              "storage",
              "is required in a configuration file: add a storage section, e.g. storage:"
                  + " {filesystem: {rootdirectory: /var/lib/registry}}, or set REGISTRY_STORAGE"));
    }
    StorageSettings storage =
        reader.isSet("storage") || !fromFile
            ? new StorageBinder(reader, problems).bind()
            : StorageSettings.defaults();
    HttpSettings http = http();
    if (http.secret() == null && !(storage.driver() instanceof StorageSettings.InMemory)) {
      warnings.add(
          "http.secret is not set: each replica makes up its own, so with more than one replica"
              + " behind a load balancer an upload whose requests reach different replicas fails"
              + " (BLOB_UPLOAD_INVALID / BLOB_UPLOAD_UNKNOWN); set the same REGISTRY_HTTP_SECRET"
              + " on every replica");
    }
    long maxEntries = reader.number("catalog.maxentries");
    return new Configuration(
        reader.string("version", "0.1"),
        log(),
        storage,
        http,
        // registry:2 treats 0 or less as its default of 1000.
        new Configuration.Catalog(
            maxEntries <= 0 ? 1000 : (int) Math.min(Integer.MAX_VALUE, maxEntries)),
        auth(),
        health(),
        new CacheBinder(reader, problems, warnings).bind());
  }

  private Configuration.LogSettings log() {
    String level = reader.text("log.level").orElse(null);
    if (reader.isSet("loglevel")) {
      warnings.add(
          "loglevel is deprecated since registry:2 2.x: use log.level (REGISTRY_LOG_LEVEL)");
      if (level == null) {
        level = reader.text("loglevel").orElse(null);
      }
    }
    String formatter = reader.string("log.formatter", "text").strip().toLowerCase(Locale.ROOT);
    if (formatter.equals("logstash")) {
      warnings.add("log.formatter logstash is not implemented yet: Berth writes json instead");
      formatter = "json";
    }
    return new Configuration.LogSettings(
        (level == null ? "info" : level).strip().toLowerCase(Locale.ROOT),
        formatter,
        reader.stringMap("log.fields"),
        reader.bool("log.accesslog.disabled"));
  }

  private HttpSettings http() {
    String addr = reader.string("http.addr", ":5000").strip();
    boolean unix = reader.string("http.net", "tcp").equalsIgnoreCase("unix");
    var matcher = TCP_ADDR.matcher(addr);
    if (!unix && (!matcher.matches() || Integer.parseInt(matcher.group(2)) > 65535)) {
      problems.add(
          new Problem(
              reader.subject("http.addr"),
              "must be host:port or :port with a port from 0 to 65535, e.g. :5000"));
    }
    String host = reader.string("http.host");
    if (host != null && !validBaseUrl(host)) {
      problems.add(
          new Problem(
              reader.subject("http.host"),
              "must be an absolute http or https URL such as https://registry.example.com"));
    }
    String prefix = reader.string("http.prefix", "/");
    if (!prefix.startsWith("/")) {
      problems.add(
          new Problem(reader.subject("http.prefix"), "must start and end with /, e.g. /registry/"));
    }
    return new HttpSettings(
        addr,
        host,
        reader.string("http.secret"),
        reader.bool("http.relativeurls"),
        reader.duration("http.draintimeout"),
        prefix.endsWith("/") ? prefix : prefix + "/",
        tls(),
        reader.listMap("http.headers"),
        reader.bool("http.http2.disabled"),
        reader.bool("http.h2c.enabled"),
        debug());
  }

  private DebugSettings debug() {
    String addr = reader.string("http.debug.addr");
    if (addr != null && !addr.isBlank() && !TCP_ADDR.matcher(addr.strip()).matches()) {
      problems.add(
          new Problem(reader.subject("http.debug.addr"), "must be host:port or :port, e.g. :5001"));
    }
    String path = reader.string("http.debug.prometheus.path", "/metrics").strip();
    if (!path.startsWith("/")) {
      problems.add(new Problem(reader.subject("http.debug.prometheus.path"), "must start with /"));
    }
    return new DebugSettings(
        addr == null || addr.isBlank() ? null : addr.strip(),
        reader.bool("http.debug.prometheus.enabled"),
        path);
  }

  private HealthSettings health() {
    long threshold = reader.number("health.storagedriver.threshold");
    return new HealthSettings(
        new HealthSettings.StorageDriverCheck(
            reader.bool("health.storagedriver.enabled"),
            reader.duration("health.storagedriver.interval"),
            (int) Math.min(Integer.MAX_VALUE, Math.max(1, threshold))));
  }

  private static boolean validBaseUrl(String text) {
    try {
      URI uri = new URI(text.strip());
      return uri.getScheme() != null
          && (uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))
          && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private @Nullable TlsSettings tls() {
    if (!reader.isSet("http.tls")) {
      return null;
    }
    boolean letsEncrypt = reader.isSet("http.tls.letsencrypt");
    if (!letsEncrypt) {
      for (String key : List.of("certificate", "key")) {
        if (!reader.isSet("http.tls." + key)) {
          problems.add(
              new Problem(
                  "http.tls." + key,
                  "is required when http.tls is set (or configure http.tls.letsencrypt)"));
        }
      }
    }
    return new TlsSettings(
        reader.string("http.tls.certificate", ""),
        reader.string("http.tls.key", ""),
        reader.strings("http.tls.clientcas"),
        reader
            .string("http.tls.clientauth", "require-and-verify-client-cert")
            .toLowerCase(Locale.ROOT),
        reader.string("http.tls.minimumtls", "tls1.2").toLowerCase(Locale.ROOT),
        reader.strings("http.tls.ciphersuites"));
  }

  private AuthSettings auth() {
    List<String> providers = reader.keys("auth");
    if (providers.isEmpty()) {
      return new AuthSettings.None();
    }
    if (providers.size() > 1) {
      problems.add(
          new Problem(
              reader.subject("auth"),
              "only one auth provider may be configured, found " + String.join(", ", providers)));
      return new AuthSettings.None();
    }
    String name = providers.get(0);
    String p = "auth." + name + ".";
    return switch (name) {
      case "silly" -> new AuthSettings.Silly(required(p + "realm"), required(p + "service"));
      case "htpasswd" ->
          new AuthSettings.Htpasswd(required(p + "realm"), Path.of(required(p + "path")));
      case "token" -> {
        AuthSettings.Token token =
            new AuthSettings.Token(
                required(p + "realm"),
                required(p + "service"),
                required(p + "issuer"),
                reader.string(p + "rootcertbundle"),
                reader.string(p + "jwks"),
                reader.bool(p + "autoredirect"),
                reader.string(p + "autoredirectpath", "/auth/token/"),
                reader.strings(p + "signingalgorithms"));
        if (token.rootCertBundle() == null && token.jwks() == null) {
          problems.add(
              new Problem(p + "rootcertbundle", "is required unless " + p + "jwks is set"));
        }
        yield token;
      }
      default -> new AuthSettings.None();
    };
  }

  private String required(String path) {
    String value = reader.string(path);
    if (value == null || value.isBlank()) {
      problems.add(
          new Problem(
              path,
              "is required when "
                  + path.substring(0, path.lastIndexOf('.'))
                  + " is configured ("
                  + VariableNames.variableFor(path)
                  + ")"));
      return "";
    }
    return value;
  }
}
