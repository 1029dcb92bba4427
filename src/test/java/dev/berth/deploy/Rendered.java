package dev.berth.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects one overlay renders to, with the questions the tests ask of them: the Berth
 * container, its environment as the pod would see it, and its mounted configuration file.
 *
 * @param overlay the overlay's directory name
 * @param objects every rendered object
 */
record Rendered(String overlay, List<JsonNode> objects) {

  /** Where the image reads its configuration (the image's command names this file). */
  static final String IMAGE_CONFIG_PATH = "/etc/docker/registry/config.yml";

  /** Every object of one kind. */
  List<JsonNode> all(String kind) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
  }

  /** The single object of one kind; fails when there is none or more than one. */
  JsonNode one(String kind) {
    List<JsonNode> found = all(kind);
    if (found.size() != 1) {
      throw new AssertionError(overlay + " renders " + found.size() + " " + kind + " objects");
    }
    return found.get(0);
  }

  /** The Deployment's pod spec. */
  JsonNode podSpec() {
    return one("Deployment").path("spec").path("template").path("spec");
  }

  /** The registry container of the Deployment. */
  JsonNode container() {
    for (JsonNode container : podSpec().path("containers")) {
      if ("registry".equals(container.path("name").asText())) {
        return container;
      }
    }
    throw new AssertionError(overlay + " has no container named registry");
  }

  /**
   * The container's environment as the kubelet would set it. A value taken from a Secret cannot be
   * known here; it becomes a placeholder naming the Secret and key, which is as valid for the
   * configuration check as the real value.
   */
  Map<String, String> environment() {
    Map<String, String> environment = new LinkedHashMap<>();
    for (JsonNode variable : container().path("env")) {
      String name = variable.path("name").asText();
      if (variable.has("value")) {
        environment.put(name, variable.path("value").asText());
      } else if (variable.path("valueFrom").has("secretKeyRef")) {
        JsonNode ref = variable.path("valueFrom").path("secretKeyRef");
        environment.put(
            name, "from-secret-" + ref.path("name").asText() + "-" + ref.path("key").asText());
      } else {
        throw new AssertionError(overlay + ": the test cannot resolve variable " + name);
      }
    }
    if (container().has("envFrom")) {
      throw new AssertionError(overlay + ": envFrom is not resolved by this test; list variables");
    }
    return environment;
  }

  /**
   * Writes the configuration file the container sees at {@link #IMAGE_CONFIG_PATH} into a
   * directory, after checking that a mounted ConfigMap provides exactly that file.
   */
  Path writeMountedConfig(Path directory) throws IOException {
    for (JsonNode mount : container().path("volumeMounts")) {
      JsonNode volume = volume(mount.path("name").asText());
      if (!volume.has("configMap")) {
        continue;
      }
      String mountPath = mount.path("mountPath").asText();
      String key =
          mount.has("subPath")
              ? mount.path("subPath").asText()
              : IMAGE_CONFIG_PATH.substring(mountPath.length() + 1);
      boolean providesConfig =
          mount.has("subPath")
              ? mountPath.equals(IMAGE_CONFIG_PATH)
              : IMAGE_CONFIG_PATH.startsWith(mountPath + "/");
      if (!providesConfig) {
        continue;
      }
      String configMapName = volume.path("configMap").path("name").asText();
      for (JsonNode configMap : all("ConfigMap")) {
        if (configMapName.equals(configMap.path("metadata").path("name").asText())
            && configMap.path("data").has(key)) {
          Path file = directory.resolve("config.yml");
          Files.writeString(file, configMap.path("data").path(key).asText());
          return file;
        }
      }
      throw new AssertionError(
          overlay + ": the volume mounts ConfigMap " + configMapName + ", which has no " + key);
    }
    throw new AssertionError(overlay + ": nothing is mounted at " + IMAGE_CONFIG_PATH);
  }

  /** The pod volume with this name. */
  JsonNode volume(String name) {
    for (JsonNode volume : podSpec().path("volumes")) {
      if (name.equals(volume.path("name").asText())) {
        return volume;
      }
    }
    throw new AssertionError(overlay + ": no volume named " + name);
  }

  /** The container port number behind a probe's or Service's port, by name or number. */
  int containerPort(JsonNode port) {
    if (port.isInt()) {
      return port.asInt();
    }
    for (JsonNode declared : container().path("ports")) {
      if (port.asText().equals(declared.path("name").asText())) {
        return declared.path("containerPort").asInt();
      }
    }
    throw new AssertionError(overlay + ": the container declares no port named " + port);
  }
}
