package dev.berth.oci;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes descriptors and OCI image indexes as compact JSON. Absent optional fields are left out,
 * and annotations are written in key order so the same input always gives the same bytes (and so
 * the same digest).
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/descriptor.md">OCI image
 *     spec, descriptor</a>
 */
public final class OciJsonWriter {
  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  private OciJsonWriter() {}

  /** A descriptor as a JSON object. */
  public static byte[] descriptor(Descriptor descriptor) {
    return write(generator -> writeDescriptor(generator, descriptor));
  }

  /**
   * An OCI image index ({@code schemaVersion} 2, {@code mediaType} {@link MediaType#OCI_INDEX})
   * listing the given descriptors, as the referrers API answers.
   */
  public static byte[] index(List<Descriptor> manifests) {
    return write(
        generator -> {
          generator.writeStartObject();
          generator.writeNumberField("schemaVersion", Manifest.SCHEMA_VERSION);
          generator.writeStringField("mediaType", MediaType.OCI_INDEX);
          generator.writeArrayFieldStart("manifests");
          for (Descriptor manifest : manifests) {
            writeDescriptor(generator, manifest);
          }
          generator.writeEndArray();
          generator.writeEndObject();
        });
  }

  private static void writeDescriptor(JsonGenerator generator, Descriptor descriptor)
      throws IOException {
    generator.writeStartObject();
    generator.writeStringField("mediaType", descriptor.mediaType());
    if (descriptor.artifactType().isPresent()) {
      generator.writeStringField("artifactType", descriptor.artifactType().get());
    }
    generator.writeStringField("digest", descriptor.digest().toString());
    generator.writeNumberField("size", descriptor.size());
    if (!descriptor.urls().isEmpty()) {
      generator.writeArrayFieldStart("urls");
      for (String url : descriptor.urls()) {
        generator.writeString(url);
      }
      generator.writeEndArray();
    }
    writeStrings(generator, "annotations", descriptor.annotations());
    if (descriptor.platform().isPresent()) {
      writePlatform(generator, descriptor.platform().get());
    }
    generator.writeEndObject();
  }

  private static void writePlatform(JsonGenerator generator, Platform platform) throws IOException {
    generator.writeObjectFieldStart("platform");
    generator.writeStringField("architecture", platform.architecture());
    generator.writeStringField("os", platform.os());
    if (platform.osVersion().isPresent()) {
      generator.writeStringField("os.version", platform.osVersion().get());
    }
    writeList(generator, "os.features", platform.osFeatures());
    if (platform.variant().isPresent()) {
      generator.writeStringField("variant", platform.variant().get());
    }
    writeList(generator, "features", platform.features());
    generator.writeEndObject();
  }

  private static void writeList(JsonGenerator generator, String field, List<String> values)
      throws IOException {
    if (values.isEmpty()) {
      return;
    }
    generator.writeArrayFieldStart(field);
    for (String value : values) {
      generator.writeString(value);
    }
    generator.writeEndArray();
  }

  private static void writeStrings(JsonGenerator generator, String field, Map<String, String> map)
      throws IOException {
    if (map.isEmpty()) {
      return;
    }
    generator.writeObjectFieldStart(field);
    for (Map.Entry<String, String> entry : new TreeMap<>(map).entrySet()) {
      generator.writeStringField(entry.getKey(), entry.getValue());
    }
    generator.writeEndObject();
  }

  private static byte[] write(JsonBody body) {
    var out = new ByteArrayOutputStream();
    try (JsonGenerator generator = FACTORY.createGenerator(out)) {
      body.writeTo(generator);
    } catch (IOException e) {
      // Writing to memory does not fail; this only satisfies the generator's signature.
      throw new UncheckedIOException("failed to write JSON", e);
    }
    return out.toByteArray();
  }

  @FunctionalInterface
  private interface JsonBody {
    void writeTo(JsonGenerator generator) throws IOException;
  }
}
