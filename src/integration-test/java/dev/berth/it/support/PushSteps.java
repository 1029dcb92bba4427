package dev.berth.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Distribution API steps over {@link OneRequest}, each request on a new connection to one port (a
 * load balancer's or a replica's), asserting the statuses the spec prescribes.
 */
public final class PushSteps {
  /** {@code application/vnd.oci.image.manifest.v1+json}. */
  public static final String OCI_MANIFEST = OciLayout.MANIFEST;

  private final int port;

  /** Steps against {@code 127.0.0.1:port}. */
  public PushSteps(int port) {
    this.port = port;
  }

  /** Opens an upload session and returns its {@code Location} (path and query). */
  public String startUpload(String repository) throws IOException {
    OneRequest.Response started =
        OneRequest.send(
            port, "POST", "/v2/" + repository + "/blobs/uploads/", Map.of(), new byte[0]);
    assertThat(started.status()).as(started::text).isEqualTo(202);
    return path(started.header("Location").orElseThrow());
  }

  /** Sends bytes {@code [from, to)} of a blob as one chunk, with {@code Content-Range}. */
  public OneRequest.Response patch(
      String location, SyntheticBlob blob, long from, long to, Map<String, String> extra)
      throws IOException {
    return patch(location, blob, from, to, extra, written -> {});
  }

  /** Sends a chunk and reports how far its body was written. */
  public OneRequest.Response patch(
      String location,
      SyntheticBlob blob,
      long from,
      long to,
      Map<String, String> extra,
      LongConsumer progress)
      throws IOException {
    Map<String, String> headers = new LinkedHashMap<>(extra);
    headers.put("Content-Type", "application/octet-stream");
    headers.put("Content-Range", from + "-" + (to - 1));
    return OneRequest.stream(
        port, "PATCH", location, headers, to - from, out -> blob.write(out, from, to, progress));
  }

  /** {@code PUT} without a body (the end of an upload). */
  public OneRequest.Response put(String location) throws IOException {
    return OneRequest.send(port, "PUT", location, Map.of(), new byte[0]);
  }

  /** {@code GET} of a path. */
  public OneRequest.Response get(String target) throws IOException {
    return OneRequest.send(port, "GET", target, Map.of(), new byte[0]);
  }

  /** {@code GET} of a manifest, accepting OCI image manifests. */
  public OneRequest.Response getManifest(String repository, String reference) throws IOException {
    return OneRequest.send(
        port,
        "GET",
        "/v2/" + repository + "/manifests/" + reference,
        Map.of("Accept", OCI_MANIFEST),
        new byte[0]);
  }

  /** Pushes a blob in one {@code POST}, or as {@code POST}, {@code PATCH}, {@code PUT}. */
  public void pushBlob(String repository, byte[] blob, boolean chunked) throws IOException {
    String digest = OciLayout.digest(blob);
    OneRequest.Response done;
    if (chunked) {
      String location = startUpload(repository);
      OneRequest.Response patched =
          OneRequest.send(
              port, "PATCH", location, Map.of("Content-Type", "application/octet-stream"), blob);
      assertThat(patched.status()).as(patched::text).isEqualTo(202);
      done = put(path(patched.header("Location").orElseThrow()) + "&digest=" + digest);
    } else {
      done =
          OneRequest.send(
              port,
              "POST",
              "/v2/" + repository + "/blobs/uploads/?digest=" + digest,
              Map.of("Content-Type", "application/octet-stream"),
              blob);
    }
    assertThat(done.status()).as(done::text).isEqualTo(201);
  }

  /** Pushes a manifest and checks it was created. */
  public void putManifest(String repository, String reference, byte[] manifest) throws IOException {
    OneRequest.Response put =
        OneRequest.send(
            port,
            "PUT",
            "/v2/" + repository + "/manifests/" + reference,
            Map.of("Content-Type", OCI_MANIFEST),
            manifest);
    assertThat(put.status()).as(put::text).isEqualTo(201);
  }

  /** The offset an upload stands at, from its {@code Range} header. */
  public static long rangeEnd(OneRequest.Response status) {
    String range = status.header("Range").orElse("0-0");
    long end = Long.parseLong(range.substring(range.indexOf('-') + 1));
    // An empty upload answers "0-0" too; the offset then is the stored size, which is 0 or 1.
    return end == 0 ? 0 : end + 1;
  }

  /** The path and query of a {@code Location}, which may be absolute. */
  public static String path(String location) {
    return location.replaceFirst("^https?://[^/]+", "");
  }

  /** The upload id in an upload's location. */
  public static String uploadId(String location) {
    String path = location.contains("?") ? location.substring(0, location.indexOf('?')) : location;
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** An OCI image manifest over a config and layers. */
  public static byte[] manifest(byte[] config, List<byte[]> layers) {
    StringBuilder json =
        new StringBuilder(
            "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":");
    json.append(
        descriptor(
            "application/vnd.oci.image.config.v1+json", OciLayout.digest(config), config.length));
    json.append(",\"layers\":[");
    for (int i = 0; i < layers.size(); i++) {
      json.append(i == 0 ? "" : ",")
          .append(
              descriptor(
                  "application/vnd.oci.image.layer.v1.tar",
                  OciLayout.digest(layers.get(i)),
                  layers.get(i).length));
    }
    return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** An OCI descriptor as JSON. */
  public static String descriptor(String mediaType, String digest, long size) {
    return "{\"mediaType\":\""
        + mediaType
        + "\",\"digest\":\""
        + digest
        + "\",\"size\":"
        + size
        + "}";
  }
}
