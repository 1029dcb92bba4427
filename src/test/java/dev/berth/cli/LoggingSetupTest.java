package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.config.Configuration;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class LoggingSetupTest {

  private static final Map<String, String> FIELDS = fields();

  private static Map<String, String> fields() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("service", "registry");
    fields.put("environment", "staging");
    return fields;
  }

  /** A context configured like Berth's defaults: a text appender on the root, into {@code out}. */
  private static LoggerContext textContext(ByteArrayOutputStream out) {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%-5level %logger{0}: %msg %kvp{DOUBLE}%n");
    encoder.start();
    OutputStreamAppender<ILoggingEvent> console = new OutputStreamAppender<>();
    console.setContext(context);
    console.setEncoder(encoder);
    console.setOutputStream(out);
    console.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(console);
    return context;
  }

  private static List<String> logTwoEvents(String formatter) {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    LoggerContext context = textContext(captured);
    try {
      LoggingSetup.apply(context, new Configuration.LogSettings("info", formatter, FIELDS, false));
      Logger log = context.getLogger("test");
      log.atInfo().setMessage("registry listening").addKeyValue("port", 5000).log();
      log.atWarn().setMessage("failed to reach the store").log();
    } finally {
      context.stop();
    }
    return captured.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void text_withFields_everyEventCarriesThem() {
    List<String> lines = logTwoEvents("text");

    assertThat(lines).hasSize(2);
    assertThat(lines.get(0))
        .contains("registry listening")
        .contains("port=\"5000\"")
        .contains("service=\"registry\"")
        .contains("environment=\"staging\"");
    assertThat(lines.get(1)).contains("service=\"registry\"").contains("environment=\"staging\"");
  }

  @Test
  void json_withFields_everyEventIsJsonWithThem() throws Exception {
    List<String> lines = logTwoEvents("json");

    assertThat(lines).hasSize(2);
    ObjectMapper mapper = new ObjectMapper();
    for (String line : lines) {
      JsonNode event = mapper.readTree(line);
      assertThat(event.get("level").asText()).isIn("INFO", "WARN");
      assertThat(event.get("kvpList").toString())
          .contains("\"service\":\"registry\"")
          .contains("\"environment\":\"staging\"");
    }
    assertThat(mapper.readTree(lines.get(0)).get("message").asText())
        .isEqualTo("registry listening");
  }
}
