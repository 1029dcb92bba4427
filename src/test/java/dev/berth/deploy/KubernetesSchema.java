package dev.berth.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.JsonParseException;
import io.kubernetes.client.custom.QuantityFormatException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a Kubernetes object against the API schema without a cluster.
 *
 * <p>The Kubernetes Java client's models are generated from the API server's OpenAPI document
 * (client-java-api 25 is Kubernetes 1.34). Reading JSON into them checks, at every level of the
 * object: that each field name is one the schema defines (a misspelled {@code readinesProbe}
 * fails), that required fields are present (a container without a name fails), that objects, arrays
 * and scalars sit where the schema puts them, that numbers are numbers, and that quantities ({@code
 * 512Mi}) parse. It does not check enumerations, formats of strings (DNS names, label syntax) or
 * cross-field rules; an API server or {@code kubectl apply --dry-run=server} does.
 */
final class KubernetesSchema {

  private static final Map<String, Class<?>> MODELS =
      Map.of(
          "v1/Namespace", V1Namespace.class,
          "v1/ServiceAccount", V1ServiceAccount.class,
          "v1/ConfigMap", V1ConfigMap.class,
          "v1/Secret", V1Secret.class,
          "v1/Service", V1Service.class,
          "v1/PersistentVolumeClaim", V1PersistentVolumeClaim.class,
          "apps/v1/Deployment", V1Deployment.class,
          "policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class,
          "autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class,
          "networking.k8s.io/v1/Ingress", V1Ingress.class);

  private static final ObjectMapper JSON_MAPPER = new ObjectMapper();

  private KubernetesSchema() {}

  /** The schema violation in an object, or empty when it conforms. */
  static Optional<String> violation(JsonNode object) {
    String type = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
    Class<?> model = MODELS.get(type);
    if (model == null) {
      return Optional.of(
          "unknown object type "
              + type
              + "; the test knows "
              + MODELS.keySet().stream().sorted().toList());
    }
    try {
      String json = JSON_MAPPER.writeValueAsString(object);
      Object parsed = JSON.getGson().fromJson(json, model);
      return parsed == null ? Optional.of(type + ": empty object") : Optional.empty();
    } catch (JsonParseException
        | IllegalArgumentException
        | IllegalStateException
        | QuantityFormatException e) {
      return Optional.of(type + " " + object.path("metadata").path("name") + ": " + e.getMessage());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return Optional.of(type + ": not serialisable as JSON: " + e.getMessage());
    }
  }
}
