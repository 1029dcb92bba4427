package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {

  @TempDir Path dir;

  @Test
  void withServeDefault_firstArgumentIsFile_runsServe() throws IOException {
    Path file = Files.writeString(dir.resolve("config.yml"), "version: 0.1\n");

    assertThat(Main.withServeDefault(new String[] {file.toString()}, Set.of("config")))
        .containsExactly("serve", file.toString());
  }

  @Test
  void withServeDefault_missingYamlFile_runsServeWhichReportsIt() {
    String missing = dir.resolve("config.yml").toString();

    assertThat(Main.withServeDefault(new String[] {missing}, Set.of("config")))
        .containsExactly("serve", missing);
  }

  @Test
  void withServeDefault_unknownWord_leftToPicocli() {
    assertThat(Main.withServeDefault(new String[] {"srve"}, Set.of("serve")))
        .containsExactly("srve");
  }

  @Test
  void withServeDefault_subcommand_unchanged() {
    assertThat(Main.withServeDefault(new String[] {"config", "check"}, Set.of("config")))
        .containsExactly("config", "check");
  }

  @Test
  void withServeDefault_fileNamedLikeSubcommand_unchanged() throws IOException {
    Path file = Files.writeString(dir.resolve("config"), "");

    assertThat(Main.withServeDefault(new String[] {file.toString()}, Set.of(file.toString())))
        .containsExactly(file.toString());
  }

  @Test
  void subcommands_areThoseOfPicocli() {
    assertThat(new CommandLine(new Main()).getSubcommands().keySet())
        .containsExactlyInAnyOrderElementsOf(Main.SUBCOMMANDS);
  }

  @Test
  void plainServe_withAndWithoutFile_runsWithoutPicocli() {
    assertThat(Main.plainServe(new String[] {"serve", "registry.yml"}))
        .get()
        .extracting(ServeCommand::configPath)
        .isEqualTo(Path.of("registry.yml"));
    assertThat(Main.plainServe(new String[] {"serve"}))
        .get()
        .extracting(ServeCommand::configPath)
        .isNull();
  }

  @Test
  void plainServe_withOptionsOrOtherCommands_leftToPicocli() {
    for (String[] args :
        new String[][] {
          {}, {"serve", "--help"}, {"serve", "a.yml", "b.yml"}, {"config", "check"}, {"--version"}
        }) {
      assertThat(Main.plainServe(args)).as(String.join(" ", args)).isEmpty();
    }
  }
}
