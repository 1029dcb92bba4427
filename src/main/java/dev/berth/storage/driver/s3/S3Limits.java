package dev.berth.storage.driver.s3;

/**
 * The limits of the S3 multipart API that the driver sizes its parts by.
 *
 * <p>Production uses {@link #AWS}; tests use smaller values so that part-size growth and many-part
 * uploads can be shown with kilobytes instead of gigabytes.
 *
 * @param minimumPartSize the smallest part S3 accepts, except for the last one (5 MiB on AWS)
 * @param maximumParts the most parts one multipart upload may have (10,000 on AWS)
 * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html">Amazon S3
 *     multipart upload limits</a>
 */
record S3Limits(long minimumPartSize, int maximumParts) {

  /** The largest part S3 accepts. */
  static final long MAXIMUM_PART_SIZE = 5L * 1024 * 1024 * 1024;

  /** The limits of Amazon S3, which S3-compatible stores follow. */
  static final S3Limits AWS = new S3Limits(5L * 1024 * 1024, 10_000);

  S3Limits {
    if (minimumPartSize < 1 || minimumPartSize > MAXIMUM_PART_SIZE) {
      throw new IllegalArgumentException("minimumPartSize out of range: " + minimumPartSize);
    }
    if (maximumParts < 10) {
      throw new IllegalArgumentException("maximumParts must be at least 10: " + maximumParts);
    }
  }
}
