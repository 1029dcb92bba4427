package dev.berth.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads everything a registry serves over the API, from the catalog down to every blob, so two
 * registries serving the same tree can be compared answer by answer.
 */
public final class RegistryContent {
  private static final int MAX_REQUESTS = 1000;

  private RegistryContent() {}

  /**
   * Walks a registry: the catalog, each repository's tag list, each manifest by tag and by digest
   * (children of indexes too, GET and HEAD), and each referenced blob (GET and HEAD).
   *
   * @param baseUrl {@code http://host:port}
   * @return every answer, keyed by {@code METHOD path}, in the order they were asked
   */
  public static Map<String, Http.Response> walk(String baseUrl)
      throws IOException, InterruptedException {
    Map<String, Http.Response> answers = new LinkedHashMap<>();
    JsonNode catalog = ask(answers, baseUrl, "GET", "/v2/_catalog", "");
    for (JsonNode repositoryNode : catalog.path("repositories")) {
      String repository = repositoryNode.asText();
      String prefix = "/v2/" + repository;
      JsonNode tags = ask(answers, baseUrl, "GET", prefix + "/tags/list", "");
      Deque<String> manifests = new ArrayDeque<>();
      Set<String> blobs = new LinkedHashSet<>();
      // registry:2 lists tags in directory order; walk them sorted so both walks ask alike.
      for (String tag : sorted(tags.path("tags"))) {
        String path = prefix + "/manifests/" + tag;
        ask(answers, baseUrl, "HEAD", path, Http.MANIFEST_TYPES);
        ask(answers, baseUrl, "GET", path, Http.MANIFEST_TYPES);
        manifests.add(answers.get("GET " + path).digest());
      }
      Set<String> seen = new LinkedHashSet<>();
      while (!manifests.isEmpty() && answers.size() < MAX_REQUESTS) {
        String digest = manifests.removeFirst();
        if (!seen.add(digest)) {
          continue;
        }
        String path = prefix + "/manifests/" + digest;
        ask(answers, baseUrl, "HEAD", path, Http.MANIFEST_TYPES);
        JsonNode manifest = ask(answers, baseUrl, "GET", path, Http.MANIFEST_TYPES);
        manifest.path("manifests").forEach(child -> manifests.add(child.path("digest").asText()));
        if (manifest.has("config")) {
          blobs.add(manifest.path("config").path("digest").asText());
        }
        manifest.path("layers").forEach(layer -> blobs.add(layer.path("digest").asText()));
      }
      for (String blob : blobs) {
        String path = prefix + "/blobs/" + blob;
        answers.put("HEAD " + path, Http.send("HEAD", baseUrl + path, ""));
        answers.put("GET " + path, Http.get(baseUrl + path, ""));
      }
    }
    if (answers.size() >= MAX_REQUESTS) {
      throw new AssertionError("the walk of " + baseUrl + " did not end within " + MAX_REQUESTS);
    }
    return answers;
  }

  /** The texts of a JSON array, in lexical order. */
  public static List<String> sorted(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    Collections.sort(texts);
    return texts;
  }

  /** Asks one thing, records the answer and returns its body as JSON ({@code {}} if none). */
  private static JsonNode ask(
      Map<String, Http.Response> answers, String baseUrl, String method, String path, String accept)
      throws IOException, InterruptedException {
    Http.Response response = Http.send(method, baseUrl + path, accept);
    answers.put(method + " " + path, response);
    if (response.status() != 200 || response.body().length == 0) {
      return OciLayout.json("{}".getBytes(StandardCharsets.UTF_8));
    }
    return OciLayout.json(response.body());
  }
}
