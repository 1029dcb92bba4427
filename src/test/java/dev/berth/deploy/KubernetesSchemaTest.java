package dev.berth.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The schema check rejects what an API server would reject for its structure. */
class KubernetesSchemaTest {

  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: berth
      spec:
        replicas: 2
        selector:
          matchLabels: {app: berth}
        template:
          metadata:
            labels: {app: berth}
          spec:
            containers:
              - name: registry
                image: berth
                ports:
                  - containerPort: 5000
                readinessProbe:
                  httpGet: {path: /readyz, port: 5000}
                resources:
                  limits: {memory: 1Gi}
      """;

  private static JsonNode yaml(String text) throws IOException {
    return new YAMLMapper().readTree(text);
  }

  @Test
  void violation_wellFormedDeployment_none() throws IOException {
    assertThat(KubernetesSchema.violation(yaml(DEPLOYMENT))).isEmpty();
  }

  @Test
  void violation_misspelledNestedField_namesTheField() throws IOException {
    JsonNode object = yaml(DEPLOYMENT.replace("readinessProbe:", "readinesProbe:"));

    assertThat(KubernetesSchema.violation(object))
        .hasValueSatisfying(message -> assertThat(message).contains("`readinesProbe`"));
  }

  @Test
  void violation_numberGivenAsWord_rejected() throws IOException {
    assertThat(KubernetesSchema.violation(yaml(DEPLOYMENT.replace("replicas: 2", "replicas: two"))))
        .isPresent();
  }

  @Test
  void violation_listWhereObjectBelongs_rejected() throws IOException {
    JsonNode object =
        yaml(DEPLOYMENT.replace("httpGet: {path: /readyz, port: 5000}", "httpGet: [/readyz]"));

    assertThat(KubernetesSchema.violation(object)).isPresent();
  }

  @Test
  void violation_containerWithoutName_rejected() throws IOException {
    JsonNode object = yaml(DEPLOYMENT.replaceFirst("- name: registry\\n\\s+image:", "- image:"));

    assertThat(KubernetesSchema.violation(object))
        .hasValueSatisfying(message -> assertThat(message).contains("`name`"));
  }

  @Test
  void violation_badQuantity_rejected() throws IOException {
    assertThat(KubernetesSchema.violation(yaml(DEPLOYMENT.replace("1Gi", "one gigabyte"))))
        .isPresent();
  }

  @Test
  void violation_unknownKind_rejected() throws IOException {
    JsonNode object = yaml("apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {}\n");

    assertThat(KubernetesSchema.violation(object))
        .hasValueSatisfying(message -> assertThat(message).contains("unknown object type"));
  }
}
