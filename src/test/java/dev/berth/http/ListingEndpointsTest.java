package dev.berth.http;

import static dev.berth.http.TestRegistry.OCI_MANIFEST;
import static dev.berth.http.TestRegistry.assertError;
import static dev.berth.http.TestRegistry.header;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** end-8a, end-8b (tags list and its pages) and {@code /v2/_catalog}. */
@Timeout(60)
class ListingEndpointsTest {
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");
  private static final List<String> TAGS = List.of("1.0", "1.1", "2.0", "Latest", "alpha", "beta");
  private static final List<String> REPOSITORIES =
      List.of("listing/a", "listing/b", "listing/b/nested", "listing/c", "other");
  private static TestRegistry registry;

  @BeforeAll
  static void start() {
    registry = TestRegistry.inMemory(false);
    TestRegistry.Image image = registry.pushImage("listing/a", "beta", "listing");
    for (String tag : TAGS) {
      registry.pushManifest("listing/a", tag, OCI_MANIFEST, image.manifest());
    }
    for (String repository : REPOSITORIES.subList(1, REPOSITORIES.size())) {
      registry.pushImage(repository, "v1", repository);
    }
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(node -> values.add(node.asText()));
    return values;
  }

  private static String next(HttpResponse<byte[]> response) {
    String link = header(response, "Link");
    if (link == null) {
      return null;
    }
    Matcher m = NEXT.matcher(link);
    assertThat(m.find()).as(link).isTrue();
    return m.group(1);
  }

  @Test
  void tagsList_always_answersAllTagsSorted() {
    HttpResponse<byte[]> response = registry.get("/v2/listing/a/tags/list");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(header(response, "Content-Type")).startsWith("application/json");
    JsonNode body = TestRegistry.json(response);
    assertThat(body.path("name").asText()).isEqualTo("listing/a");
    assertThat(strings(body.path("tags"))).containsExactlyElementsOf(TAGS);
    assertThat(header(response, "Link")).isNull();
  }

  @Test
  void tagsList_withN_pagesThroughLinkHeaders() {
    List<String> seen = new ArrayList<>();
    String url = "/v2/listing/a/tags/list?n=4";
    for (int page = 0; url != null && page < 10; page++) {
      HttpResponse<byte[]> response = registry.get(url);
      assertThat(response.statusCode()).isEqualTo(200);
      List<String> tags = strings(TestRegistry.json(response).path("tags"));
      assertThat(tags.size()).isLessThanOrEqualTo(4);
      seen.addAll(tags);
      url = next(response);
      if (url != null) {
        assertThat(url).contains("n=4");
        assertThat(URLDecoder.decode(url, StandardCharsets.UTF_8))
            .contains("last=" + tags.get(tags.size() - 1));
      }
    }

    assertThat(seen).containsExactlyElementsOf(TAGS);
  }

  @Test
  void tagsList_withLast_answersTagsAfterIt() {
    JsonNode body = TestRegistry.json(registry.get("/v2/listing/a/tags/list?n=2&last=1.1"));

    assertThat(strings(body.path("tags"))).containsExactly("2.0", "Latest");
  }

  @Test
  void tagsList_withLastOnly_answersAllTagsAfterIt() {
    JsonNode body = TestRegistry.json(registry.get("/v2/listing/a/tags/list?last=Latest"));

    assertThat(strings(body.path("tags"))).containsExactly("alpha", "beta");
  }

  @Test
  void tagsList_withNZero_answersEmptyList() {
    HttpResponse<byte[]> response = registry.get("/v2/listing/a/tags/list?n=0");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(TestRegistry.json(response).path("tags")).isEmpty();
  }

  @Test
  void tagsList_withInvalidN_answers400PaginationNumberInvalid() {
    for (String n : List.of("-1", "abc", "1.5", "99999999999")) {
      assertError(registry.get("/v2/listing/a/tags/list?n=" + n), 400, "PAGINATION_NUMBER_INVALID");
    }
  }

  @Test
  void tagsList_ofUnknownRepository_answers404NameUnknown() {
    assertError(registry.get("/v2/listing/unknown/tags/list"), 404, "NAME_UNKNOWN");
  }

  @Test
  void catalog_always_listsRepositoriesSorted() {
    HttpResponse<byte[]> response = registry.get("/v2/_catalog");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(strings(TestRegistry.json(response).path("repositories")))
        .containsExactlyElementsOf(REPOSITORIES);
  }

  @Test
  void catalog_withN_pagesThroughLinkHeaders() {
    List<String> seen = new ArrayList<>();
    String url = "/v2/_catalog?n=2";
    int pages = 0;
    for (; url != null && pages < 10; pages++) {
      HttpResponse<byte[]> response = registry.get(url);
      assertThat(response.statusCode()).isEqualTo(200);
      List<String> names = strings(TestRegistry.json(response).path("repositories"));
      assertThat(names.size()).isLessThanOrEqualTo(2);
      seen.addAll(names);
      url = next(response);
    }

    assertThat(seen).containsExactlyElementsOf(REPOSITORIES);
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void catalog_withLast_answersNamesAfterIt() {
    JsonNode body = TestRegistry.json(registry.get("/v2/_catalog?last=listing/b&n=2"));

    assertThat(strings(body.path("repositories"))).containsExactly("listing/b/nested", "listing/c");
  }

  @Test
  void catalog_withNZeroOrInvalidN_answersEmptyOr400() {
    HttpResponse<byte[]> empty = registry.get("/v2/_catalog?n=0");
    assertThat(empty.statusCode()).isEqualTo(200);
    assertThat(TestRegistry.json(empty).path("repositories")).isEmpty();

    assertError(registry.get("/v2/_catalog?n=-3"), 400, "PAGINATION_NUMBER_INVALID");
    assertError(registry.get("/v2/_catalog?n=x"), 400, "PAGINATION_NUMBER_INVALID");
  }
}
