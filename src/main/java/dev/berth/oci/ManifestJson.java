package dev.berth.oci;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the JSON of manifests into Berth's value types, field by field, so every complaint names
 * the offending field by its path ({@code layers[2].digest}). Unknown fields are ignored, as
 * clients add their own.
 */
final class ManifestJson {
  /** The largest manifest read, as registry:2 limits manifest bodies. */
  static final int MAX_BYTES = 4 * 1024 * 1024;

  // Manifests are shallow (an index entry's platform sits at depth 4); the limits keep a hostile
  // body from costing more than its size.
  private static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(64)
                          .maxNumberLength(64)
                          .maxStringLength(MAX_BYTES)
                          .maxNameLength(64 * 1024)
                          .build())
                  // A key given twice may be read differently by different tools; refuse it.
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private ManifestJson() {}

  /** Parses the body as one JSON object. */
  static ObjectNode readObject(byte[] content) {
    if (content.length == 0) {
      throw invalid("manifest body is empty");
    }
    if (content.length > MAX_BYTES) {
      throw invalid("manifest is " + content.length + " bytes, more than the limit of 4 MiB");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(content);
    } catch (JsonProcessingException e) {
      var location = e.getLocation();
      String where =
          location == null
              ? ""
              : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
      throw new RegistryException(
          ErrorCode.MANIFEST_INVALID,
          "manifest is not valid JSON" + where + ": " + problem(e.getOriginalMessage()),
          Map.of(),
          e);
    } catch (IOException e) {
      throw new RegistryException(
          ErrorCode.MANIFEST_INVALID, "failed to read manifest JSON", Map.of(), e);
    }
    if (root == null || !root.isObject()) {
      throw invalid("manifest must be a JSON object");
    }
    return (ObjectNode) root;
  }

  /** The field as a string; absent when missing, JSON {@code null} or empty. */
  static Optional<String> optionalString(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw invalid(path + ": must be a string");
    }
    return node.textValue().isEmpty() ? Optional.empty() : Optional.of(node.textValue());
  }

  /** The field as a non-empty string. */
  static String requiredString(JsonNode parent, String field, String path) {
    return optionalString(parent, field, path)
        .orElseThrow(() -> invalid(path + ": is missing or empty"));
  }

  /** The field as a media type; absent when missing or empty. */
  static Optional<String> optionalMediaType(JsonNode parent, String field, String path) {
    Optional<String> value = optionalString(parent, field, path);
    if (value.isPresent() && !MediaType.isValid(value.get())) {
      throw invalid(path + ": '" + Digest.shorten(value.get()) + "' is not a valid media type");
    }
    return value;
  }

  /** The field as an array of descriptors; the field must be present. */
  static List<Descriptor> descriptors(JsonNode parent, String field) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      throw invalid(field + ": is missing");
    }
    if (!node.isArray()) {
      throw invalid(field + ": must be an array of descriptors");
    }
    List<Descriptor> result = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      result.add(descriptor(node.get(i), field + "[" + i + "]"));
    }
    return result;
  }

  /** The field as a descriptor; absent when missing or JSON {@code null}. */
  static Optional<Descriptor> optionalDescriptor(JsonNode parent, String field) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    return Optional.of(descriptor(node, field));
  }

  /** The field as a descriptor, which must be present. */
  static Descriptor requiredDescriptor(JsonNode parent, String field) {
    return optionalDescriptor(parent, field).orElseThrow(() -> invalid(field + ": is missing"));
  }

  /** The node as a descriptor. */
  static Descriptor descriptor(JsonNode node, String path) {
    if (!node.isObject()) {
      throw invalid(path + ": must be a descriptor object");
    }
    String mediaType = requiredString(node, "mediaType", path + ".mediaType");
    if (!MediaType.isValid(mediaType)) {
      throw invalid(
          path + ".mediaType: '" + Digest.shorten(mediaType) + "' is not a valid media type");
    }
    Digest digest = digest(node, path + ".digest");
    long size = size(node, path + ".size");
    List<String> urls = urls(node, path + ".urls");
    Map<String, String> annotations = stringMap(node, "annotations", path + ".annotations");
    Optional<String> artifactType = optionalMediaType(node, "artifactType", path + ".artifactType");
    Optional<Platform> platform = platform(node, path + ".platform");
    checkData(node, path + ".data", digest, size);
    return new Descriptor(mediaType, digest, size, urls, annotations, artifactType, platform);
  }

  /** The field as a map of strings to strings; empty when missing or JSON {@code null}. */
  static Map<String, String> stringMap(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw invalid(path + ": must be an object of strings");
    }
    Map<String, String> result = new HashMap<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      if (!entry.getValue().isTextual()) {
        throw invalid(path + "." + Digest.shorten(entry.getKey()) + ": must be a string");
      }
      result.put(entry.getKey(), entry.getValue().textValue());
    }
    return result;
  }

  /** The field as a list of strings; empty when missing or JSON {@code null}. */
  static List<String> stringList(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw invalid(path + ": must be an array of strings");
    }
    List<String> result = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      if (!item.isTextual()) {
        throw invalid(path + "[" + i + "]: must be a string");
      }
      result.add(item.textValue());
    }
    return result;
  }

  static RegistryException invalid(String message) {
    return new RegistryException(ErrorCode.MANIFEST_INVALID, message);
  }

  // Jackson's own message, without the location details it appends (we give line and column).
  private static String problem(String message) {
    String text = message;
    for (String cut : new String[] {"\n", " (start marker at", " at [Source"}) {
      int at = text.indexOf(cut);
      if (at >= 0) {
        text = text.substring(0, at);
      }
    }
    return Digest.shorten(text);
  }

  private static Digest digest(JsonNode parent, String path) {
    String value = requiredString(parent, "digest", path);
    try {
      return Digest.parse(value);
    } catch (RegistryException e) {
      throw new RegistryException(
          ErrorCode.MANIFEST_INVALID,
          path + ": " + e.getMessage() + " (got '" + Digest.shorten(value) + "')",
          Map.of(),
          e);
    }
  }

  private static long size(JsonNode parent, String path) {
    JsonNode node = parent.get("size");
    if (node == null || node.isNull()) {
      throw invalid(path + ": is missing");
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw invalid(path + ": must be an integer number of bytes");
    }
    long size = node.longValue();
    if (size < 0) {
      throw invalid(path + ": must not be negative, got " + size);
    }
    return size;
  }

  private static List<String> urls(JsonNode parent, String path) {
    List<String> urls = stringList(parent, "urls", path);
    for (int i = 0; i < urls.size(); i++) {
      String url = urls.get(i);
      try {
        if (!new URI(url).isAbsolute()) {
          throw invalid(path + "[" + i + "]: '" + Digest.shorten(url) + "' is not an absolute URL");
        }
      } catch (URISyntaxException e) {
        throw new RegistryException(
            ErrorCode.MANIFEST_INVALID,
            path + "[" + i + "]: '" + Digest.shorten(url) + "' is not a valid URL",
            Map.of(),
            e);
      }
    }
    return urls;
  }

  private static Optional<Platform> platform(JsonNode parent, String path) {
    JsonNode node = parent.get("platform");
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isObject()) {
      throw invalid(path + ": must be an object");
    }
    return Optional.of(
        new Platform(
            requiredString(node, "architecture", path + ".architecture"),
            requiredString(node, "os", path + ".os"),
            optionalString(node, "os.version", path + ".os.version"),
            stringList(node, "os.features", path + ".os.features"),
            optionalString(node, "variant", path + ".variant"),
            stringList(node, "features", path + ".features")));
  }

  // The image spec says embedded data MUST be identical to the content it describes; a
  // mismatch would make clients that trust the data see other content than those that fetch.
  private static void checkData(JsonNode parent, String path, Digest digest, long size) {
    Optional<String> encoded = optionalString(parent, "data", path);
    if (encoded.isEmpty()) {
      return;
    }
    byte[] data;
    try {
      data = Base64.getDecoder().decode(encoded.get());
    } catch (IllegalArgumentException e) {
      throw new RegistryException(
          ErrorCode.MANIFEST_INVALID, path + ": is not valid base64", Map.of(), e);
    }
    if (data.length != size) {
      throw invalid(path + ": holds " + data.length + " bytes but size says " + size);
    }
    try {
      Digest actual =
          Digest.of(
              digest.algorithm(), MessageDigest.getInstance(digest.javaAlgorithm()).digest(data));
      if (!actual.equals(digest)) {
        throw invalid(path + ": does not match digest " + digest);
      }
    } catch (NoSuchAlgorithmException e) {
      throw new RegistryException(
          ErrorCode.UNKNOWN,
          "failed to hash descriptor data with " + digest.algorithm(),
          Map.of(),
          e);
    }
  }
}
