package dev.berth.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.berth.config.Configuration;
import java.util.Iterator;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the {@code log} section: the root level, the formatter (text as {@link LogbackDefaults}
 * sets it up, or JSON) and the static fields, which every event then carries in both formats.
 */
final class LoggingSetup {
  private LoggingSetup() {}

  /** Reconfigures Logback from the configuration. */
  static void apply(Configuration.LogSettings log) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      apply(context, log);
    }
  }

  /** Reconfigures a Logback context; tests pass their own. */
  static void apply(LoggerContext context, Configuration.LogSettings log) {
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level(log.level()));
    boolean json = log.formatter().equalsIgnoreCase("json");
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
        Encoder<ILoggingEvent> encoder = json ? json(context) : appender.getEncoder();
        if (!log.fields().isEmpty()) {
          encoder = new FieldsEncoder(encoder, log.fields());
          encoder.setContext(context);
          encoder.start();
        }
        appender.setEncoder(encoder);
      }
    }
  }

  /** One JSON object per line: time, level, logger, message, key-value pairs and throwable. */
  private static JsonEncoder json(LoggerContext context) {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.setWithContext(false);
    encoder.setWithArguments(false);
    encoder.start();
    return encoder;
  }

  private static Level level(String level) {
    return switch (level.toLowerCase(Locale.ROOT)) {
      case "error", "fatal", "panic" -> Level.ERROR;
      case "warn", "warning" -> Level.WARN;
      case "debug", "trace" -> Level.DEBUG;
      default -> Level.INFO;
    };
  }
}
