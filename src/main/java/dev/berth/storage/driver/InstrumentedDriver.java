package dev.berth.storage.driver;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one decorator around a storage driver: times every operation and counts its failures,
 * labelled by driver and operation. Expected outcomes (a missing path, a bad key or offset) are
 * timed but not counted as errors. Meters are registered once here, so recording costs no
 * allocation.
 */
public final class InstrumentedDriver implements StorageDriver {

  /** The operations that are measured; the metric label is the lower-case name. */
  enum Operation {
    GET_CONTENT,
    PUT_CONTENT,
    READER,
    WRITER,
    WRITE,
    COMMIT,
    CANCEL,
    STAT,
    LIST,
    MOVE,
    DELETE,
    WALK,
    REDIRECT_URL,
    CHECK_ACCESS
  }

  /** Latency buckets from a cached stat to a slow multipart commit. */
  static final Duration[] BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(2),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30)
  };

  private final StorageDriver delegate;
  private final Map<Operation, Timer> timers = new EnumMap<>(Operation.class);
  private final Map<Operation, Counter> errors = new EnumMap<>(Operation.class);

  /**
   * Wraps a driver, registering its meters.
   *
   * @param delegate the driver that does the work; closed with this one
   * @param meters where the meters are registered
   */
  public InstrumentedDriver(StorageDriver delegate, MeterRegistry meters) {
    this.delegate = delegate;
    for (Operation operation : Operation.values()) {
      String label = operation.name().toLowerCase(Locale.ROOT);
      timers.put(
          operation,
          Timer.builder("berth.storage.operations")
              .description("Storage driver operations by driver and operation")
              .tag("driver", delegate.name())
              .tag("operation", label)
              .serviceLevelObjectives(BUCKETS)
              .register(meters));
      errors.put(
          operation,
          Counter.builder("berth.storage.errors")
              .description("Storage driver operations that failed, not counting missing paths")
              .tag("driver", delegate.name())
              .tag("operation", label)
              .register(meters));
    }
  }

  private <T> T measure(Operation operation, Supplier<T> call) {
    long start = System.nanoTime();
    try {
      return call.get();
    } catch (RuntimeException e) {
      if (isFailure(e)) {
        Objects.requireNonNull(errors.get(operation)).increment();
      }
      throw e;
    } finally {
      Objects.requireNonNull(timers.get(operation))
          .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  private void run(Operation operation, Runnable call) {
    measure(
        operation,
        () -> {
          call.run();
          return Boolean.TRUE;
        });
  }

  private static boolean isFailure(RuntimeException e) {
    return !(e instanceof PathNotFoundException
        || e instanceof InvalidPathException
        || e instanceof InvalidOffsetException);
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public byte[] getContent(String path) {
    return measure(Operation.GET_CONTENT, () -> delegate.getContent(path));
  }

  @Override
  public void putContent(String path, byte[] content) {
    run(Operation.PUT_CONTENT, () -> delegate.putContent(path, content));
  }

  @Override
  public InputStream reader(String path, long offset) {
    return measure(Operation.READER, () -> delegate.reader(path, offset));
  }

  @Override
  public FileWriter writer(String path, boolean append) {
    return new Writer(measure(Operation.WRITER, () -> delegate.writer(path, append)));
  }

  @Override
  public FileInfo stat(String path) {
    return measure(Operation.STAT, () -> delegate.stat(path));
  }

  @Override
  public List<String> list(String path) {
    return measure(Operation.LIST, () -> delegate.list(path));
  }

  @Override
  public void move(String sourcePath, String destinationPath) {
    run(Operation.MOVE, () -> delegate.move(sourcePath, destinationPath));
  }

  @Override
  public void delete(String path) {
    run(Operation.DELETE, () -> delegate.delete(path));
  }

  @Override
  public Optional<URI> redirectUrl(String path, String method, Duration expiry) {
    return measure(Operation.REDIRECT_URL, () -> delegate.redirectUrl(path, method, expiry));
  }

  @Override
  public Optional<Path> localFile(String path) {
    return delegate.localFile(path);
  }

  @Override
  public void walk(String path, Predicate<FileInfo> visitor) {
    run(Operation.WALK, () -> delegate.walk(path, visitor));
  }

  @Override
  public void checkAccess() {
    run(Operation.CHECK_ACCESS, delegate::checkAccess);
  }

  @Override
  public void close() {
    delegate.close();
  }

  /** Times the steps of a writer; {@code close} only keeps state and is not measured. */
  private final class Writer implements FileWriter {
    private final FileWriter writer;

    Writer(FileWriter writer) {
      this.writer = writer;
    }

    @Override
    public void write(ByteBuffer data) {
      run(Operation.WRITE, () -> writer.write(data));
    }

    @Override
    public long size() {
      return writer.size();
    }

    @Override
    public void commit() {
      run(Operation.COMMIT, writer::commit);
    }

    @Override
    public void cancel() {
      run(Operation.CANCEL, writer::cancel);
    }

    @Override
    public void close() {
      writer.close();
    }
  }
}
