package dev.berth.storage.driver.s3;

import dev.berth.config.StorageSettings;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/** Builds {@link StorageSettings.S3} records for tests, with registry:2's defaults. */
final class S3Settings {

  static final long MIB = 1024 * 1024;

  private S3Settings() {}

  /** Settings for a custom endpoint (path-style, SigV4, no region) with static keys. */
  static StorageSettings.S3 forEndpoint(
      String endpoint, String bucket, String rootDirectory, String accessKey, String secretKey) {
    return new StorageSettings.S3(
        accessKey,
        secretKey,
        null,
        null,
        endpoint,
        true,
        bucket,
        false,
        null,
        false,
        false,
        true,
        10 * MIB,
        32 * MIB,
        100,
        32 * MIB,
        rootDirectory,
        "STANDARD",
        "private",
        null,
        false,
        false,
        "off");
  }

  /** A copy with other part sizes: chunk size, multipart copy chunk size and threshold. */
  static StorageSettings.S3 withSizes(
      StorageSettings.S3 s, long chunkSize, long copyChunkSize, long copyThreshold) {
    return copy(s, s.encrypt(), chunkSize, copyChunkSize, copyThreshold, s.logLevel());
  }

  /** A copy with server-side encryption on, with S3-managed keys or a KMS key. */
  static StorageSettings.S3 encrypted(StorageSettings.S3 s) {
    return copy(
        s,
        true,
        s.chunkSize(),
        s.multipartCopyChunkSize(),
        s.multipartCopyThresholdSize(),
        s.logLevel());
  }

  /** A copy with another log level; {@code debug} makes the driver log every S3 request. */
  static StorageSettings.S3 withLogLevel(StorageSettings.S3 s, String logLevel) {
    return copy(
        s,
        s.encrypt(),
        s.chunkSize(),
        s.multipartCopyChunkSize(),
        s.multipartCopyThresholdSize(),
        logLevel);
  }

  private static StorageSettings.S3 copy(
      StorageSettings.S3 s,
      boolean encrypt,
      long chunkSize,
      long copyChunkSize,
      long copyThreshold,
      String logLevel) {
    return new StorageSettings.S3(
        s.accessKey(),
        s.secretKey(),
        s.sessionToken(),
        s.region(),
        s.regionEndpoint(),
        s.forcePathStyle(),
        s.bucket(),
        encrypt,
        s.keyId(),
        s.secure(),
        s.skipVerify(),
        s.v4Auth(),
        chunkSize,
        copyChunkSize,
        s.multipartCopyMaxConcurrency(),
        copyThreshold,
        s.rootDirectory(),
        s.storageClass(),
        s.objectAcl(),
        s.userAgent(),
        s.useDualStack(),
        s.accelerate(),
        logLevel);
  }

  /**
   * A copy with other values for any of the record's components, named as in {@link
   * StorageSettings.S3}: {@code with(s, "storageClass", "NONE", "userAgent", "x/1")}.
   */
  static StorageSettings.S3 with(StorageSettings.S3 s, @Nullable Object... namesAndValues) {
    RecordComponent[] components = StorageSettings.S3.class.getRecordComponents();
    Object[] values = new Object[components.length];
    try {
      for (int i = 0; i < components.length; i++) {
        values[i] = components[i].getAccessor().invoke(s);
      }
      for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
        values[index(components, String.valueOf(namesAndValues[i]))] = namesAndValues[i + 1];
      }
      return StorageSettings.S3
          .class
          .getDeclaredConstructor(
              Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new))
          .newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot copy " + s, e);
    }
  }

  private static int index(RecordComponent[] components, String name) {
    for (int i = 0; i < components.length; i++) {
      if (components[i].getName().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("StorageSettings.S3 has no component " + name);
  }
}
