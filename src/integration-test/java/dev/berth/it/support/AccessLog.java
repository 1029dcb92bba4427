package dev.berth.it.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * Captures Berth's access log ({@code dev.berth.access}) in the test JVM through a Logback
 * appender. One capture sees every in-JVM Berth, so a test that reads it runs one server at a time.
 */
public final class AccessLog implements AutoCloseable {
  private static final String LOGGER = "dev.berth.access";

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
      Entry entry =
          new Entry(
              fields.getOrDefault("http.method", ""),
              fields.getOrDefault("url.path", ""),
              Integer.parseInt(fields.getOrDefault("http.status", "0")),
              Long.parseLong(fields.getOrDefault("http.request.body.bytes", "0")));
      synchronized (entries) {
        entries.add(entry);
      }
    }
  }
}
