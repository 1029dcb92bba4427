package dev.berth.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import dev.berth.config.Configuration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies the {@code log} section: the root level, the formatter and the static fields. */
final class LoggingSetup {
  private LoggingSetup() {}

  /** Reconfigures Logback from the configuration. */
  static void apply(Configuration.LogSettings log) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level(log.level()));
    if (log.formatter().equalsIgnoreCase("json")) {
      ConsoleAppender<ILoggingEvent> json = new ConsoleAppender<>();
      json.setContext(context);
      json.setName("JSON");
      JsonEncoder encoder = new JsonEncoder();
      encoder.setContext(context);
      encoder.setWithContext(false);
      encoder.setWithArguments(false);
      encoder.start();
      json.setEncoder(encoder);
      json.start();
      root.detachAndStopAllAppenders();
      root.addAppender(json);
    }
    if (!log.fields().isEmpty()) {
      addFields(root, log.fields());
    }
  }

  /** Makes every console appender of the root logger write the static fields on each event. */
  private static void addFields(ch.qos.logback.classic.Logger root, Map<String, String> fields) {
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender
          && !(appender.getEncoder() instanceof FieldsEncoder)) {
        FieldsEncoder encoder = new FieldsEncoder(appender.getEncoder(), fields);
        encoder.setContext(appender.getContext());
        encoder.start();
        appender.setEncoder(encoder);
      }
    }
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
