package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class LogbackDefaultsTest {

  @Test
  void apply_freshContext_textOnStdoutAtInfoWithLibrariesAtWarn() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    try {
      LogbackDefaults.apply(context);

      ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
      assertThat(root.getLevel()).isEqualTo(Level.INFO);
      assertThat(context.getLogger("org.eclipse.jetty.server").getEffectiveLevel())
          .isEqualTo(Level.WARN);
      assertThat(context.getLogger("software.amazon.awssdk.request").getEffectiveLevel())
          .isEqualTo(Level.WARN);
      assertThat(context.getLogger("dev.berth.access").getEffectiveLevel()).isEqualTo(Level.INFO);
      Appender<ILoggingEvent> appender = root.getAppender("STDOUT");
      assertThat(appender).isInstanceOf(ConsoleAppender.class);
      assertThat(appender.isStarted()).isTrue();
      ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) appender;
      assertThat(((PatternLayoutEncoder) console.getEncoder()).getPattern())
          .isEqualTo(LogbackDefaults.PATTERN);
    } finally {
      context.stop();
    }
  }

  @Test
  void configure_withLogbackTestXmlOnTheClassPath_stepsAside() {
    LoggerContext context = new LoggerContext();
    try {
      LogbackDefaults defaults = new LogbackDefaults();
      defaults.setContext(context);

      // The test class path carries logback-test.xml, as a user's own configuration would.
      assertThat(defaults.configure(context))
          .isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
      assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext())
          .isFalse();
    } finally {
      context.stop();
    }
  }
}
