package dev.berth.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The HTTP metrics: requests by route kind, method and status with a latency histogram, body bytes
 * by route kind, and the upload requests in progress. The route label is the endpoint kind, never
 * the path, so repository names cannot blow up the number of series. Meters are looked up in arrays
 * by route, method and status; a new combination is registered once, after which recording
 * allocates nothing.
 */
public final class RequestMetrics {

  /** The route label: the kind of endpoint a request was for. */
  enum Kind {
    BASE(0),
    CATALOG(1),
    TAGS(2),
    MANIFEST(3),
    BLOB(4),
    UPLOAD(5),
    REFERRERS(6),
    OTHER(7);

    /** The number of kinds, for arrays indexed by {@link #index}. */
    static final int COUNT = 8;

    final String label = name().toLowerCase(Locale.ROOT);

    /** A stable array index. */
    final int index;

    Kind(int index) {
      this.index = index;
    }

    static Kind of(Route route) {
      return switch (route) {
        case Route.Base base -> BASE;
        case Route.Root root -> BASE;
        case Route.Catalog catalog -> CATALOG;
        case Route.Tags tags -> TAGS;
        case Route.Manifest manifest -> MANIFEST;
        case Route.Blob blob -> BLOB;
        case Route.UploadStart start -> UPLOAD;
        case Route.Upload upload -> UPLOAD;
        case Route.Referrers referrers -> REFERRERS;
        case Route.Unknown unknown -> OTHER;
      };
    }
  }

  private static final String[] METHODS = {
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OTHER"
  };
  private static final int STATUSES = 600;

  /** Latency buckets from a cached manifest to a large blob. */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(2),
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
    Duration.ofSeconds(30),
    Duration.ofSeconds(60)
  };

  private final MeterRegistry registry;
  private final AtomicReferenceArray<Timer>[] timers;
  private final Counter[] received = new Counter[Kind.COUNT];
  private final Counter[] sent = new Counter[Kind.COUNT];
  private final AtomicInteger uploadsInProgress = new AtomicInteger();

  /**
   * Registers the meters that exist from the start.
   *
   * @param registry where the meters live
   */
  @SuppressWarnings({"unchecked", "rawtypes"}) // an array of a generic type has to be made raw
  public RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.timers = new AtomicReferenceArray[Kind.COUNT * METHODS.length];
    for (int i = 0; i < timers.length; i++) {
      timers[i] = new AtomicReferenceArray<>(STATUSES);
    }
    for (Kind kind : Kind.values()) {
      received[kind.index] =
          Counter.builder("berth.http.request.body")
              .baseUnit("bytes")
              .description("Request body bytes received, by route")
              .tag("route", kind.label)
              .register(registry);
      sent[kind.index] =
          Counter.builder("berth.http.response.body")
              .baseUnit("bytes")
              .description("Response body bytes sent, by route")
              .tag("route", kind.label)
              .register(registry);
    }
    Gauge.builder("berth.uploads.in.progress", uploadsInProgress, AtomicInteger::get)
        .description("Upload requests (POST, PATCH, PUT on upload endpoints) being handled")
        .register(registry);
  }

  /** Metrics that go nowhere, for servers built without an operations setup. */
  public static RequestMetrics discarding() {
    return new RequestMetrics(new SimpleMeterRegistry());
  }

  /** Notes that a request for this route started. */
  void started(Kind kind) {
    if (kind == Kind.UPLOAD) {
      uploadsInProgress.incrementAndGet();
    }
  }

  /** Records a finished request. */
  void finished(Kind kind, String method, int status, long bytesIn, long bytesOut, long nanos) {
    if (kind == Kind.UPLOAD) {
      uploadsInProgress.decrementAndGet();
    }
    int methodIndex = methodIndex(method);
    int code = status >= 100 && status < STATUSES ? status : 0;
    AtomicReferenceArray<Timer> byStatus = timers[kind.index * METHODS.length + methodIndex];
    Timer timer = byStatus.get(code);
    if (timer == null) {
      timer = register(kind, METHODS[methodIndex], code);
      byStatus.set(code, timer);
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
    if (bytesIn > 0) {
      received[kind.index].increment((double) bytesIn);
    }
    if (bytesOut > 0) {
      sent[kind.index].increment((double) bytesOut);
    }
  }

  private Timer register(Kind kind, String method, int status) {
    // Registering twice returns the same meter, so a race between two first requests is harmless.
    return Timer.builder("http.server.requests")
        .description("HTTP requests by route, method and status")
        .tag("route", kind.label)
        .tag("method", method)
        .tag("status", status == 0 ? "unknown" : Integer.toString(status))
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }

  private static int methodIndex(String method) {
    return switch (method) {
      case "GET" -> 0;
      case "HEAD" -> 1;
      case "POST" -> 2;
      case "PUT" -> 3;
      case "PATCH" -> 4;
      case "DELETE" -> 5;
      default -> 6;
    };
  }
}
