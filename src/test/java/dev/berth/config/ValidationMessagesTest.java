package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One case per kind of validation message (those ConfigurationLoaderTest does not already pin):
 * each names the key or variable and says what is allowed, on one line. {@code FILE} in an expected
 * message stands for the configuration file's path.
 */
class ValidationMessagesTest {

  private static final String BASE = "version: 0.1\nstorage: {inmemory: }\nhttp: {secret: s}\n";

  @TempDir Path dir;

  static Stream<Arguments> cases() {
    return Stream.of(
        arguments(
            "list index out of range",
            BASE,
            Map.of("REGISTRY_NOTIFICATIONS_ENDPOINTS_3_URL", "https://a.example/"),
            "REGISTRY_NOTIFICATIONS_ENDPOINTS_3_URL: list index 3 is not valid for"
                + " notifications.endpoints: use 0 to 0 (an index equal to the length appends)"),
        arguments(
            "variable value is malformed YAML",
            BASE,
            Map.of("REGISTRY_LOG_FIELDS", "{service: [registry"),
            "REGISTRY_LOG_FIELDS: is not valid YAML: "),
        arguments(
            "wrong type from a variable",
            BASE,
            Map.of("REGISTRY_STORAGE_DELETE_ENABLED", "maybe"),
            "REGISTRY_STORAGE_DELETE_ENABLED=maybe: must be true or false"),
        arguments(
            "not a whole number",
            BASE + "catalog:\n  maxentries: many\n",
            Map.of(),
            "FILE:5: catalog.maxentries = many: must be a whole number"),
        arguments(
            "below a minimum",
            "version: 0.1\nstorage:\n  s3: {bucket: b, region: r, multipartcopymaxconcurrency: 0}\n",
            Map.of(),
            "FILE:3: storage.s3.multipartcopymaxconcurrency = 0: must be at least 1"),
        arguments(
            "a list expected",
            BASE + "log:\n  hooks: mail\n",
            Map.of(),
            "FILE:5: log.hooks = mail: must be a list"),
        arguments(
            "a map expected",
            BASE + "log:\n  fields: [a, b]\n",
            Map.of(),
            "FILE:5: log.fields: must be a map of names to values"),
        arguments(
            "a section expected",
            "version: 0.1\nstorage: {inmemory: }\nhttp: 5000\n",
            Map.of(),
            "FILE:3: http = 5000: must be a section of keys, not a single value"),
        arguments(
            "unknown key without a near name",
            BASE + "frobnicate: true\n",
            Map.of(),
            "FILE:4: frobnicate: is not a known setting; known keys here: version, log,"
                + " loglevel, storage, auth, middleware, http, notifications, redis, health,"
                + " proxy, validation, catalog, reporting, compatibility, policy"),
        arguments(
            "no storage driver",
            "version: 0.1\nstorage:\n  delete: {enabled: true}\nhttp: {secret: s}\n",
            Map.of(),
            "storage: no storage driver is configured: add one of filesystem, inmemory, s3 (or"
                + " set REGISTRY_STORAGE=s3, for example)"),
        arguments(
            "unknown auth provider",
            BASE,
            Map.of("REGISTRY_AUTH", "ldap"),
            "REGISTRY_AUTH=ldap: unknown auth provider; use one of silly, token, htpasswd, none"),
        arguments(
            "two auth providers",
            BASE + "auth:\n  silly: {realm: r, service: s}\n  htpasswd: {realm: r, path: /p}\n",
            Map.of(),
            "FILE:5: auth: only one auth provider may be configured, found silly, htpasswd"),
        arguments(
            "auth provider without a required key",
            BASE + "auth:\n  htpasswd:\n    realm: basic\n",
            Map.of(),
            "auth.htpasswd.path: is required when auth.htpasswd is configured"
                + " (REGISTRY_AUTH_HTPASSWD_PATH)"),
        arguments(
            "token auth without keys",
            BASE + "auth:\n  token: {realm: 'https://a/t', service: s, issuer: i}\n",
            Map.of(),
            "auth.token.rootcertbundle: is required unless auth.token.jwks is set"),
        arguments(
            "tls without a key",
            BASE,
            Map.of("REGISTRY_HTTP_TLS_CERTIFICATE", "/certs/tls.crt"),
            "http.tls.key: is required when http.tls is set (or configure http.tls.letsencrypt)"),
        arguments(
            "prefix without a slash",
            BASE,
            Map.of("REGISTRY_HTTP_PREFIX", "registry/"),
            "REGISTRY_HTTP_PREFIX=registry/: must start and end with /, e.g. /registry/"),
        arguments(
            "debug address",
            BASE,
            Map.of("REGISTRY_HTTP_DEBUG_ADDR", "localhost"),
            "REGISTRY_HTTP_DEBUG_ADDR=localhost: must be host:port or :port, e.g. :5001"),
        arguments(
            "one static key without the other",
            "version: 0.1\nstorage:\n  s3: {bucket: b, region: r}\n",
            Map.of("REGISTRY_STORAGE_S3_ACCESSKEY", "AKIA"),
            "storage.s3.secretkey: is required when accesskey is set: give both static keys, or"
                + " neither to use the default credential chain (REGISTRY_STORAGE_S3_SECRETKEY)"),
        arguments(
            "a map where a string belongs",
            "version: 0.1\nstorage:\n  s3:\n    bucket: {name: b}\n    region: r\n",
            Map.of(),
            "FILE:4: storage.s3.bucket: must be a single value, not a map"),
        arguments(
            "a value outside the allowed set",
            "version: 0.1\nstorage:\n  s3: {bucket: b, region: r}\n",
            Map.of("REGISTRY_STORAGE_S3_STORAGECLASS", "COLD"),
            "REGISTRY_STORAGE_S3_STORAGECLASS=COLD: must be one of STANDARD, REDUCED_REDUNDANCY,"
                + " STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER_IR, OUTPOSTS, EXPRESS_ONEZONE,"
                + " NONE"),
        arguments(
            "the file is not a map",
            "- version: 0.1\n",
            Map.of(),
            "FILE: must be a YAML map of settings, not a list"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void load_badInput_oneLineNamingKeyOrVariable(
      String what, String yaml, Map<String, String> environment, String expected)
      throws IOException {
    Path file = Files.writeString(dir.resolve("config.yml"), yaml);

    List<String> problems;
    try {
      ConfigurationLoader.fromFile(file, environment);
      throw new AssertionError("expected a ConfigurationException");
    } catch (ConfigurationException e) {
      problems = e.problems().stream().map(Problem::toString).toList();
    }

    String line = expected.replace("FILE", file.toString());
    assertThat(problems).singleElement().asString().startsWith(line).doesNotContain("\n");
    if (!what.contains("malformed")) {
      assertThat(problems.get(0)).isEqualTo(line);
    }
  }
}
