package dev.berth.it.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * Berth's access log ({@code dev.berth.access}): read back from a server process's JSON output, or
 * captured in the test JVM through a Logback appender. One in-JVM capture sees every in-JVM Berth,
 * so a test that reads it there runs one server at a time.
 */
public final class AccessLog implements AutoCloseable {
  private static final String LOGGER = "dev.berth.access";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Capture capture = new Capture();

  private AccessLog() {}

  /**
   * One answered request.
   *
   * @param method the HTTP method
   * @param path the request path, without the query
   * @param status the HTTP status
   * @param requestBodyBytes how many body bytes the client sent
   */
  public record Entry(String method, String path, int status, long requestBodyBytes) {}

  /**
   * The access-log entries among the JSON lines that Berth printed with {@code log.formatter:
   * json}.
   */
  public static List<Entry> parse(String output) throws IOException {
    List<Entry> entries = new ArrayList<>();
    String[] lines = output.split("\n", -1);
    // The last piece has no newline yet: it is empty or a line still being written.
    for (String line : Arrays.asList(lines).subList(0, lines.length - 1)) {
      if (!line.startsWith("{") || !line.contains("\"" + LOGGER + "\"")) {
        continue;
      }
      JsonNode event = JSON.readTree(line);
      if (!LOGGER.equals(event.path("loggerName").asText())) {
        continue;
      }
      Map<String, String> fields = new HashMap<>();
      // Logback's JsonEncoder writes key-value pairs as a list of one-field objects.
      for (JsonNode pair : event.path("kvpList")) {
        pair.properties().forEach(field -> fields.put(field.getKey(), field.getValue().asText()));
      }
      entries.add(entry(fields));
    }
    return entries;
  }

  /** Starts capturing. */
  public static AccessLog attach() {
    AccessLog log = new AccessLog();
    log.capture.setName("integration-test-access-log");
    log.capture.setContext(logger().getLoggerContext());
    log.capture.start();
    logger().addAppender(log.capture);
    return log;
  }

  /** A snapshot of the requests captured so far. */
  public List<Entry> entries() {
    synchronized (capture.entries) {
      return List.copyOf(capture.entries);
    }
  }

  /** Stops capturing. */
  @Override
  public void close() {
    logger().detachAppender(capture);
    capture.stop();
  }

  private static Entry entry(Map<String, String> fields) {
    return new Entry(
        fields.getOrDefault("http.method", ""),
        fields.getOrDefault("url.path", ""),
        Integer.parseInt(fields.getOrDefault("http.status", "0")),
        Long.parseLong(fields.getOrDefault("http.request.body.bytes", "0")));
  }

  private static Logger logger() {
    return (Logger) LoggerFactory.getLogger(LOGGER);
  }

  private static final class Capture extends AppenderBase<ILoggingEvent> {
    private final List<Entry> entries = new ArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
      List<KeyValuePair> pairs = event.getKeyValuePairs();
      if (pairs == null) {
        return;
      }
      Map<String, String> fields =
          pairs.stream()
              .collect(Collectors.toMap(p -> p.key, p -> String.valueOf(p.value), (a, b) -> b));
      Entry entry = entry(fields);
      synchronized (entries) {
        entries.add(entry);
      }
    }
  }
}
