package dev.berth.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextVO;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * Adds {@code log.fields} to every event as key-value pairs, then lets another encoder (text or
 * JSON) write it. The event is wrapped, not changed, so other appenders see it as it was logged.
 */
final class FieldsEncoder extends EncoderBase<ILoggingEvent> {
  private final Encoder<ILoggingEvent> delegate;
  private final List<KeyValuePair> fields;

  FieldsEncoder(Encoder<ILoggingEvent> delegate, Map<String, String> fields) {
    this.delegate = delegate;
    List<KeyValuePair> pairs = new ArrayList<>();
    fields.forEach((key, value) -> pairs.add(new KeyValuePair(key, value)));
    this.fields = List.copyOf(pairs);
  }

  @Override
  public byte[] headerBytes() {
    return delegate.headerBytes();
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return delegate.encode(new WithFields(event, fields));
  }

  @Override
  public byte[] footerBytes() {
    return delegate.footerBytes();
  }

  @Override
  public void start() {
    if (!delegate.isStarted()) {
      delegate.start();
    }
    super.start();
  }

  @Override
  public void stop() {
    delegate.stop();
    super.stop();
  }

  /** An event that reports the static fields after its own key-value pairs. */
  private record WithFields(ILoggingEvent event, List<KeyValuePair> fields)
      implements ILoggingEvent {

    @Override
    public List<KeyValuePair> getKeyValuePairs() {
      List<KeyValuePair> own = event.getKeyValuePairs();
      if (own == null || own.isEmpty()) {
        return fields;
      }
      List<KeyValuePair> all = new ArrayList<>(own.size() + fields.size());
      all.addAll(own);
      all.addAll(fields);
      return all;
    }

    @Override
    public String getThreadName() {
      return event.getThreadName();
    }

    @Override
    public Level getLevel() {
      return event.getLevel();
    }

    @Override
    public String getMessage() {
      return event.getMessage();
    }

    @Override
    public Object[] getArgumentArray() {
      return event.getArgumentArray();
    }

    @Override
    public String getFormattedMessage() {
      return event.getFormattedMessage();
    }

    @Override
    public String getLoggerName() {
      return event.getLoggerName();
    }

    @Override
    public LoggerContextVO getLoggerContextVO() {
      return event.getLoggerContextVO();
    }

    @Override
    public IThrowableProxy getThrowableProxy() {
      return event.getThrowableProxy();
    }

    @Override
    public StackTraceElement[] getCallerData() {
      return event.getCallerData();
    }

    @Override
    public boolean hasCallerData() {
      return event.hasCallerData();
    }

    @Override
    public List<Marker> getMarkerList() {
      return event.getMarkerList();
    }

    @Override
    public Map<String, String> getMDCPropertyMap() {
      return event.getMDCPropertyMap();
    }

    @Deprecated
    @Override
    public Map<String, String> getMdc() {
      return event.getMDCPropertyMap();
    }

    @Override
    public long getTimeStamp() {
      return event.getTimeStamp();
    }

    @Override
    public int getNanoseconds() {
      return event.getNanoseconds();
    }

    @Override
    public Instant getInstant() {
      return event.getInstant();
    }

    @Override
    public long getSequenceNumber() {
      return event.getSequenceNumber();
    }

    @Override
    public void prepareForDeferredProcessing() {
      event.prepareForDeferredProcessing();
    }
  }
}
