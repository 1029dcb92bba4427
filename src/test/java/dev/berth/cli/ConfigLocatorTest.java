package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigLocatorTest {

  @Test
  void locate_argumentGiven_winsOverVariable() {
    assertThat(
            ConfigLocator.locate(
                Optional.of("/a.yml"), Map.of("REGISTRY_CONFIGURATION_PATH", "/b.yml"), p -> true))
        .contains(Path.of("/a.yml"));
  }

  @Test
  void locate_variableSet_usesIt() {
    assertThat(
            ConfigLocator.locate(
                Optional.empty(), Map.of("REGISTRY_CONFIGURATION_PATH", "/b.yml"), p -> true))
        .contains(Path.of("/b.yml"));
  }

  @Test
  void locate_onlyDistributionPathExists_usesIt() {
    assertThat(
            ConfigLocator.locate(
                Optional.empty(), Map.of(), p -> p.equals(Path.of("/etc/distribution/config.yml"))))
        .contains(Path.of("/etc/distribution/config.yml"));
  }

  @Test
  void locate_bothDefaultPathsExist_prefersDockerRegistryPath() {
    assertThat(ConfigLocator.locate(Optional.empty(), Map.of(), p -> true))
        .contains(Path.of("/etc/docker/registry/config.yml"));
  }

  @Test
  void locate_defaultPathExistsButIgnored_isEmpty() {
    assertThat(
            ConfigLocator.locate(
                Optional.empty(), Map.of("BERTH_IGNORE_DEFAULT_PATHS", "true"), p -> true))
        .isEmpty();
  }

  @Test
  void locate_defaultsIgnoredButVariableSet_usesVariable() {
    assertThat(
            ConfigLocator.locate(
                Optional.empty(),
                Map.of(
                    "BERTH_IGNORE_DEFAULT_PATHS", "true", "REGISTRY_CONFIGURATION_PATH", "/x.yml"),
                p -> true))
        .contains(Path.of("/x.yml"));
  }

  @Test
  void locate_nothingFound_isEmpty() {
    assertThat(ConfigLocator.locate(Optional.empty(), Map.of(), p -> false)).isEmpty();
  }
}
