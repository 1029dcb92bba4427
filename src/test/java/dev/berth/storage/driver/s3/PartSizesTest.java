package dev.berth.storage.driver.s3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PartSizesTest {

  private static final long MIB = 1024 * 1024;
  private static final long GIB = 1024 * MIB;
  private static final long TIB = 1024 * GIB;

  @Test
  void partSize_smallUpload_isChunkSize() {
    assertThat(PartSizes.partSize(10 * MIB, 0, S3Limits.AWS)).isEqualTo(10 * MIB);
    assertThat(PartSizes.partSize(10 * MIB, 9 * GIB, S3Limits.AWS)).isEqualTo(10 * MIB);
  }

  @Test
  void partSize_pastChunkSizeTimesThousand_doubles() {
    assertThat(PartSizes.partSize(10 * MIB, 10_000 * MIB + 1, S3Limits.AWS)).isEqualTo(20 * MIB);
  }

  @ParameterizedTest
  @ValueSource(longs = {5 * MIB, 10 * MIB, 64 * MIB, 5 * GIB})
  void partSize_fiveTebibyteBlob_fitsInTenThousandParts(long chunkSize) {
    Upload upload = upload(chunkSize, 5 * TIB, S3Limits.AWS);

    assertThat(upload.parts()).isLessThanOrEqualTo(10_000);
    assertThat(upload.largestPart()).isLessThanOrEqualTo(PartSizes.MAXIMUM);
  }

  @Test
  void partSize_sixGibibyteBlobWithMinimumChunk_needsFewerPartsThanFixedSize() {
    // 6 GiB at a fixed 5 MiB would be 1,229 parts; growth keeps it below that and far from 10,000.
    Upload upload = upload(5 * MIB, 6 * GIB, S3Limits.AWS);

    assertThat(upload.parts()).isLessThan(1229).isGreaterThan(1000);
    assertThat(upload.largestPart()).isEqualTo(10 * MIB);
  }

  @Test
  void partSize_sameUploadedBytes_sameSizeInEveryProcess() {
    long uploaded = 123 * GIB;

    assertThat(PartSizes.partSize(10 * MIB, uploaded, S3Limits.AWS))
        .isEqualTo(PartSizes.partSize(10 * MIB, uploaded, S3Limits.AWS))
        .isGreaterThanOrEqualTo(uploaded / 1000);
  }

  private record Upload(int parts, long largestPart) {}

  /** Splits a blob into parts the way the writer does, without any bytes. */
  private static Upload upload(long chunkSize, long blobSize, S3Limits limits) {
    long uploaded = 0;
    int parts = 0;
    long largest = 0;
    while (uploaded < blobSize && parts <= limits.maximumParts()) {
      long size = Math.min(PartSizes.partSize(chunkSize, uploaded, limits), blobSize - uploaded);
      largest = Math.max(largest, size);
      uploaded += size;
      parts++;
    }
    return new Upload(parts, largest);
  }
}
