package dev.berth.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.ConfigCheckCommand;
import dev.berth.config.Configuration;
import dev.berth.config.ConfigurationLoader;
import dev.berth.config.StorageSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Renders every overlay under {@code deploy/kubernetes} with {@code kubectl kustomize}, validates
 * each object against the Kubernetes API schema, and checks that the Deployment's environment and
 * mounted config.yml form a configuration {@code berth config check} accepts.
 */
class KubernetesManifestsTest {

  /** The liveness endpoint Berth serves without authentication. */
  static final String LIVENESS_PATH = "/healthz";

  /** The readiness endpoint Berth serves without authentication. */
  static final String READINESS_PATH = "/readyz";

  @TempDir Path dir;

  @BeforeAll
  static void kubectlPresent() {
    assumeTrue(Kustomize.available(), Kustomize.MISSING);
  }

  static List<Path> overlays() throws IOException {
    return Kustomize.overlays();
  }

  private static Rendered render(String overlay) throws IOException, InterruptedException {
    return Kustomize.render(Kustomize.ROOT.resolve("overlays").resolve(overlay));
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void overlay_everyObject_matchesKubernetesApiSchema(Path overlay) throws Exception {
    Rendered rendered = Kustomize.render(overlay);

    List<String> violations = new ArrayList<>();
    for (JsonNode object : rendered.objects()) {
      KubernetesSchema.violation(object).ifPresent(violations::add);
    }

    assertThat(rendered.objects()).isNotEmpty();
    assertThat(violations).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void overlay_environmentAndMountedConfig_passConfigCheck(Path overlay) throws Exception {
    Rendered rendered = Kustomize.render(overlay);
    Path config = rendered.writeMountedConfig(dir);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine check =
        new CommandLine(new ConfigCheckCommand(rendered.environment(), path -> false));
    check.setOut(new PrintWriter(out));
    check.setErr(new PrintWriter(err));

    int status = check.execute(config.toString());

    assertThat(status).as(err.toString()).isZero();
    assertThat(err.toString()).as("warnings from config check").isEmpty();
    assertThat(out.toString()).containsPattern("http\\.secret +<redacted>");
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void overlay_pod_isHardenedAndProbesBerthsHealthEndpoints(Path overlay) throws Exception {
    Rendered rendered = Kustomize.render(overlay);
    JsonNode pod = rendered.podSpec();
    JsonNode container = rendered.container();
    Configuration configuration = effective(rendered);

    assertThat(pod.path("enableServiceLinks").isBoolean()).isTrue();
    assertThat(pod.path("enableServiceLinks").asBoolean()).isFalse();
    assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.path("securityContext").path("runAsUser").asInt()).isPositive();
    JsonNode security = container.path("securityContext");
    assertThat(security.path("allowPrivilegeEscalation").isBoolean()).isTrue();
    assertThat(security.path("allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(security.path("capabilities").path("drop").toString()).isEqualTo("[\"ALL\"]");
    for (String kind : List.of("requests", "limits")) {
      assertThat(container.path("resources").path(kind).path("memory").asText())
          .as(kind)
          .isNotEmpty();
      assertThat(container.path("resources").path(kind).path("cpu").asText()).as(kind).isNotEmpty();
    }

    // A read-only root leaves the JVM's temp directory and the storage directory to volumes.
    List<String> mounts = container.findValues("mountPath").stream().map(JsonNode::asText).toList();
    assertThat(mounts).contains("/tmp", "/var/lib/registry");

    int port = listenPort(configuration);
    assertThat(rendered.containerPort(container.path("ports").path(0).path("containerPort")))
        .isEqualTo(port);
    assertProbe(rendered, container.path("livenessProbe"), LIVENESS_PATH, port);
    assertProbe(rendered, container.path("startupProbe"), LIVENESS_PATH, port);
    assertProbe(rendered, container.path("readinessProbe"), READINESS_PATH, port);

    // SIGTERM comes after the preStop pause; Berth then drains for up to http.draintimeout.
    long preStop =
        container.path("lifecycle").path("preStop").path("sleep").path("seconds").asLong();
    assertThat(preStop).isPositive();
    Duration drain = configuration.http().drainTimeout();
    assertThat(Duration.ofSeconds(pod.path("terminationGracePeriodSeconds").asLong()))
        .isGreaterThan(drain.plusSeconds(preStop));
  }

  private static void assertProbe(Rendered rendered, JsonNode probe, String path, int port) {
    assertThat(probe.path("httpGet").path("path").asText()).isEqualTo(path);
    assertThat(rendered.containerPort(probe.path("httpGet").path("port"))).isEqualTo(port);
  }

  @Test
  void s3_severalReplicasOnOneBucket_withBudgetAutoscalerAndSpread() throws Exception {
    Rendered rendered = render("s3");
    JsonNode deployment = rendered.one("Deployment");
    Map<String, String> environment = rendered.environment();
    JsonNode podLabels = deployment.path("spec").path("template").path("metadata").path("labels");

    assertThat(deployment.path("spec").path("replicas").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(environment)
        .containsEntry("REGISTRY_STORAGE", "s3")
        .containsEntry("REGISTRY_HTTP_SECRET", "from-secret-berth-secrets-http-secret")
        .containsEntry("REGISTRY_STORAGE_S3_ACCESSKEY", "from-secret-berth-secrets-s3-accesskey")
        .containsEntry("REGISTRY_STORAGE_S3_SECRETKEY", "from-secret-berth-secrets-s3-secretkey");
    assertThat(effective(rendered).storage().driver()).isInstanceOf(StorageSettings.S3.class);

    JsonNode budget = rendered.one("PodDisruptionBudget");
    assertSelects(budget.path("spec").path("selector"), podLabels);
    JsonNode autoscaler = rendered.one("HorizontalPodAutoscaler").path("spec");
    assertThat(autoscaler.path("scaleTargetRef").path("kind").asText()).isEqualTo("Deployment");
    assertThat(autoscaler.path("scaleTargetRef").path("name").asText())
        .isEqualTo(deployment.path("metadata").path("name").asText());
    assertThat(autoscaler.path("minReplicas").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(autoscaler.path("maxReplicas").asInt())
        .isGreaterThan(autoscaler.path("minReplicas").asInt());
    JsonNode spread = rendered.podSpec().path("topologySpreadConstraints");
    assertThat(spread.findValuesAsText("topologyKey"))
        .contains("topology.kubernetes.io/zone", "kubernetes.io/hostname");
    for (JsonNode constraint : spread) {
      assertSelects(constraint.path("labelSelector"), podLabels);
    }
  }

  @Test
  void s3Irsa_noStaticKeys_roleOnServiceAccount() throws Exception {
    Rendered rendered = render("s3-irsa");

    assertThat(rendered.environment())
        .containsEntry("REGISTRY_STORAGE", "s3")
        .containsKey("REGISTRY_HTTP_SECRET")
        .doesNotContainKeys("REGISTRY_STORAGE_S3_ACCESSKEY", "REGISTRY_STORAGE_S3_SECRETKEY");
    JsonNode account = rendered.one("ServiceAccount");
    assertThat(rendered.podSpec().path("serviceAccountName").asText())
        .isEqualTo(account.path("metadata").path("name").asText());
    assertThat(
            account
                .path("metadata")
                .path("annotations")
                .path("eks.amazonaws.com/role-arn")
                .asText())
        .startsWith("arn:aws:iam::");
  }

  @Test
  void filesystem_oneReplicaOnClaim_replacedNotRolled() throws Exception {
    Rendered rendered = render("filesystem");
    JsonNode spec = rendered.one("Deployment").path("spec");
    JsonNode storage = rendered.volume("storage");

    assertThat(spec.path("replicas").asInt()).isEqualTo(1);
    assertThat(spec.path("strategy").path("type").asText()).isEqualTo("Recreate");
    assertThat(storage.has("emptyDir")).isFalse();
    assertThat(storage.path("persistentVolumeClaim").path("claimName").asText())
        .isEqualTo(rendered.one("PersistentVolumeClaim").path("metadata").path("name").asText());
    assertThat(effective(rendered).storage().driver())
        .isInstanceOf(StorageSettings.Filesystem.class);
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void overlay_service_reachesBerthsPort(Path overlay) throws Exception {
    Rendered rendered = Kustomize.render(overlay);
    JsonNode service = rendered.one("Service").path("spec");
    JsonNode podLabels =
        rendered.one("Deployment").path("spec").path("template").path("metadata").path("labels");
    int port = listenPort(effective(rendered));

    assertSelects(service, podLabels);
    assertThat(rendered.containerPort(service.path("ports").path(0).path("targetPort")))
        .isEqualTo(port);
    if (rendered.all("Ingress").isEmpty()) {
      assertThat(service.path("type").asText()).isEqualTo("LoadBalancer");
      assertThat(service.path("ports").path(0).path("port").asInt()).isEqualTo(80);
    } else {
      JsonNode ingress = rendered.one("Ingress");
      assertThat(
              ingress
                  .path("metadata")
                  .path("annotations")
                  .path("cert-manager.io/cluster-issuer")
                  .asText())
          .isNotEmpty();
      JsonNode tls = ingress.path("spec").path("tls").path(0);
      assertThat(tls.path("secretName").asText()).isNotEmpty();
      JsonNode rule = ingress.path("spec").path("rules").path(0);
      assertThat(tls.path("hosts").path(0).asText()).isEqualTo(rule.path("host").asText());
      JsonNode backend = rule.path("http").path("paths").path(0).path("backend").path("service");
      assertThat(backend.path("name").asText())
          .isEqualTo(rendered.one("Service").path("metadata").path("name").asText());
      assertThat(backend.path("port").path("name").asText())
          .isEqualTo(service.path("ports").path(0).path("name").asText());
    }
  }

  /** The pods' labels include every label the selector (or a Service spec) matches on. */
  private static void assertSelects(JsonNode selector, JsonNode podLabels) {
    JsonNode labels =
        selector.has("matchLabels") ? selector.path("matchLabels") : selector.path("selector");
    assertThat(labels.size()).isPositive();
    for (var label : labels.properties()) {
      assertThat(podLabels.path(label.getKey()).asText())
          .as(label.getKey())
          .isEqualTo(label.getValue().asText());
    }
  }

  private Configuration effective(Rendered rendered) throws IOException {
    Path config = rendered.writeMountedConfig(dir);
    return ConfigurationLoader.fromFile(config, rendered.environment()).configuration();
  }

  private static int listenPort(Configuration configuration) {
    String addr = configuration.http().addr();
    return Integer.parseInt(addr.substring(addr.lastIndexOf(':') + 1));
  }
}
