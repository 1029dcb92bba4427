package dev.berth.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * Berth's default logging, set up in code: human-readable text on stdout, INFO on the root, and the
 * chatty libraries at WARN. {@link LoggingSetup} then applies the {@code log} section on top.
 *
 * <p>Building this in code instead of parsing a {@code logback.xml} takes a fifth of the time Berth
 * needs to start. A {@code logback.xml} or {@code logback-test.xml} on the class path, or a {@code
 * -Dlogback.configurationFile}, still wins: this configurator then steps aside.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogbackDefaults extends ContextAwareBase implements Configurator {
  /** The text layout: time with offset, level, logger, message, key-value pairs, throwable. */
  static final String PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0}: %msg %kvp{DOUBLE}%n%ex";

  private static final String[] QUIET_LOGGERS = {
    "org.eclipse.jetty", "software.amazon.awssdk", "org.apache.hc", "org.apache.http"
  };

  /** Called by Logback through the service loader. */
  public LogbackDefaults() {}

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (userConfigurationPresent()) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    apply(context);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Sets the defaults up on a context; tests pass their own. */
  static void apply(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();

    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("STDOUT");
    console.setEncoder(encoder);
    console.start();

    for (String name : QUIET_LOGGERS) {
      context.getLogger(name).setLevel(Level.WARN);
    }
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(console);
  }

  private static boolean userConfigurationPresent() {
    ClassLoader loader = LogbackDefaults.class.getClassLoader();
    return System.getProperty("logback.configurationFile") != null
        || loader.getResource("logback-test.xml") != null
        || loader.getResource("logback.xml") != null;
  }
}
