package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigReferenceTest {

  private static final Path PAGE = Path.of("docs/configuration.md");

  /** Run with -Dberth.updateDocs=true to rewrite the table after changing the schema. */
  @Test
  void referencePage_schemaChanged_tableIsCurrent() throws IOException {
    String page = Files.readString(PAGE);
    int begin = page.indexOf(ConfigReference.BEGIN);
    int end = page.indexOf(ConfigReference.END) + ConfigReference.END.length();
    assertThat(begin).isNotNegative();
    String current = page.substring(begin, end);

    if (Boolean.getBoolean("berth.updateDocs")) {
      Files.writeString(
          PAGE, page.substring(0, begin) + ConfigReference.table() + page.substring(end));
      return;
    }
    assertThat(current).isEqualTo(ConfigReference.table());
  }

  @Test
  void referencePage_everyVariable_isListed() throws IOException {
    String page = Files.readString(PAGE);

    assertThat(VariableNames.ALL).allSatisfy(v -> assertThat(page).contains("`" + v + "`"));
  }
}
