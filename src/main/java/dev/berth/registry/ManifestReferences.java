package dev.berth.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.oci.Digest;
import dev.berth.oci.RegistryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a stored manifest keeps alive, read for garbage collection: every digest it mentions and its
 * {@code subject}.
 *
 * <p>Garbage collection must never delete a blob that some kept manifest needs, whatever the
 * manifest's kind: Docker schema 1 manifests written long ago by registry:2 ({@code blobSum}),
 * artifacts with unusual fields, or a manifest that no longer parses. So the digests are found by
 * their shape anywhere in the bytes, not by a parser that knows the kinds; a digest that merely
 * appears in an annotation keeps a blob that could have gone, which is the safe mistake.
 *
 * @param mentioned every {@code sha256:} or {@code sha512:} digest in the manifest
 * @param subject the manifest's {@code subject}, when it is a referrer
 */
record ManifestReferences(Set<Digest> mentioned, Optional<Digest> subject) {
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128}");
  private static final ObjectMapper JSON = new ObjectMapper();

  ManifestReferences {
    mentioned = Set.copyOf(mentioned);
  }

  /** Reads the references of a manifest's bytes, whatever they hold. */
  static ManifestReferences of(byte[] content) {
    String text = new String(content, StandardCharsets.UTF_8);
    Set<Digest> mentioned = new LinkedHashSet<>();
    Matcher matcher = DIGEST.matcher(text);
    while (matcher.find()) {
      mentioned.add(Digest.parse(matcher.group()));
    }
    return new ManifestReferences(mentioned, subject(content));
  }

  private static Optional<Digest> subject(byte[] content) {
    try {
      JsonNode digest = JSON.readTree(content).path("subject").path("digest");
      return digest.isTextual() ? Optional.of(Digest.parse(digest.asText())) : Optional.empty();
    } catch (IOException | RegistryException notAReferrer) {
      return Optional.empty();
    }
  }
}
