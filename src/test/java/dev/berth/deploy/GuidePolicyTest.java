package dev.berth.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Request;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The least-privilege IAM policy in {@code docs/kubernetes.md} grants exactly the actions the S3
 * driver's calls need: a new S3 call without its action in the guide, or an action the driver no
 * longer needs, fails here.
 */
class GuidePolicyTest {

  private static final Path GUIDE = Path.of("docs/kubernetes.md");
  private static final Path DRIVER = Path.of("src/main/java/dev/berth/storage/driver/s3");

  /** The IAM action each S3 API operation needs (AWS's "actions, resources and conditions"). */
  private static final Map<String, String> ACTIONS =
      Map.ofEntries(
          Map.entry("headBucket", "s3:ListBucket"),
          Map.entry("listObjectsV2", "s3:ListBucket"),
          Map.entry("listMultipartUploads", "s3:ListBucketMultipartUploads"),
          Map.entry("listParts", "s3:ListMultipartUploadParts"),
          Map.entry("getObject", "s3:GetObject"),
          Map.entry("getObjectAsBytes", "s3:GetObject"),
          Map.entry("headObject", "s3:GetObject"),
          Map.entry("presignGetObject", "s3:GetObject"),
          Map.entry("presignHeadObject", "s3:GetObject"),
          Map.entry("putObject", "s3:PutObject"),
          Map.entry("createMultipartUpload", "s3:PutObject"),
          Map.entry("uploadPart", "s3:PutObject"),
          Map.entry("completeMultipartUpload", "s3:PutObject"),
          // A copy reads its source (s3:GetObject, listed anyway) and writes its target.
          Map.entry("copyObject", "s3:PutObject"),
          Map.entry("uploadPartCopy", "s3:PutObject"),
          Map.entry("deleteObject", "s3:DeleteObject"),
          Map.entry("deleteObjects", "s3:DeleteObject"),
          Map.entry("abortMultipartUpload", "s3:AbortMultipartUpload"));

  /** The names of S3 API operations: client methods taking a request. */
  private static Set<String> operations() {
    Set<String> names = new TreeSet<>();
    for (Class<?> type : new Class<?>[] {S3Client.class, S3Presigner.class}) {
      for (Method method : type.getMethods()) {
        boolean takesRequest =
            Arrays.stream(method.getParameterTypes())
                .anyMatch(
                    p -> S3Request.class.isAssignableFrom(p) || p.getName().contains("Presign"));
        if (takesRequest) {
          names.add(method.getName());
        }
      }
    }
    return names;
  }

  /** The operations the driver's sources call, as {@code .name(}. */
  private static Set<String> calledOperations() throws IOException {
    Set<String> operations = operations();
    Set<String> called = new TreeSet<>();
    Pattern call = Pattern.compile("\\.([a-z][A-Za-z0-9]*)\\(");
    try (Stream<Path> files = Files.list(DRIVER)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher matcher = call.matcher(Files.readString(file));
        while (matcher.find()) {
          if (operations.contains(matcher.group(1))) {
            called.add(matcher.group(1));
          }
        }
      }
    }
    return called;
  }

  private static Set<String> policyActions() throws IOException {
    String guide = Files.readString(GUIDE);
    int start = guide.indexOf("```json\n", guide.indexOf("## 3. The IAM policy"));
    int end = guide.indexOf("```", start + 7);
    JsonNode policy = new ObjectMapper().readTree(guide.substring(start + 7, end));
    Set<String> actions = new TreeSet<>();
    for (JsonNode statement : policy.path("Statement")) {
      assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
      statement.path("Action").forEach(action -> actions.add(action.asText()));
    }
    return actions;
  }

  @Test
  void guidePolicy_s3CallsOfTheDriver_grantsExactlyTheirActions() throws IOException {
    Set<String> called = calledOperations();

    assertThat(called).as("S3 calls found in " + DRIVER).contains("putObject", "getObject");
    assertThat(ACTIONS.keySet())
        .as("every S3 call the driver makes needs its IAM action in this table and the guide")
        .containsAll(called);
    Set<String> needed = new TreeSet<>();
    called.forEach(operation -> needed.add(ACTIONS.get(operation)));
    assertThat(policyActions()).isEqualTo(needed);
  }

  @Test
  void guidePolicy_everyActionIsExplainedInTheTable() throws IOException {
    String guide = Files.readString(GUIDE);

    for (String action : policyActions()) {
      assertThat(guide).contains("| `" + action + "` |");
    }
  }
}
