package dev.berth.storage.driver.s3;

/**
 * How large the next part of a multipart upload is, so that no upload runs out of parts.
 *
 * <p>S3 allows {@link S3Limits#maximumParts()} parts per upload. With a fixed part size of {@code
 * chunksize}, a blob larger than {@code chunksize} times 10,000 could not be stored. Instead, the
 * part size starts at {@code chunksize} and doubles as long as it is below {@code uploaded /
 * (maximumParts / 10)}, a thousandth of the bytes uploaded so far on S3. Each part then adds at
 * least that fraction to the total, which therefore grows geometrically and passes S3's 5 TiB
 * object limit long before the last part (see {@code PartSizesTest}).
 *
 * <p>The size depends only on the bytes already uploaded in parts, so every process that resumes
 * the upload computes the same size from the parts S3 lists. The memory a writer holds is one part:
 * {@code chunksize} for the first {@code chunksize * maximumParts / 10} bytes (10 GB with the
 * defaults), about a thousandth of the blob beyond that.
 */
final class PartSizes {

  /**
   * The largest part the driver uploads: S3 allows 5 GiB, but a part is buffered in one Java array.
   * At this size, 10,000 parts still hold more than S3's 5 TiB object limit.
   */
  static final long MAXIMUM = 2047L * 1024 * 1024;

  private PartSizes() {}

  /**
   * The size of the next part.
   *
   * @param chunkSize the configured chunk size, the size of the first parts
   * @param uploaded the bytes already uploaded in earlier parts
   * @param limits the multipart limits of the store
   * @return a size between {@code chunkSize} and {@link #MAXIMUM}
   */
  static long partSize(long chunkSize, long uploaded, S3Limits limits) {
    long spread = Math.max(1, limits.maximumParts() / 10);
    long size = Math.min(chunkSize, MAXIMUM);
    while (size < MAXIMUM && size * spread < uploaded) {
      size *= 2;
    }
    return Math.min(size, MAXIMUM);
  }
}
