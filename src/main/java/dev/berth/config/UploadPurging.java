package dev.berth.config;

import java.time.Duration;

/**
 * {@code storage.maintenance.uploadpurging}: removing abandoned uploads, their data, digest states
 * and (on S3) their multipart uploads.
 *
 * @param enabled whether purging runs (default true)
 * @param age uploads older than this are removed (default 168h)
 * @param interval time between purges (default 24h)
 * @param dryRun whether purging only reports (default false)
 */
public record UploadPurging(boolean enabled, Duration age, Duration interval, boolean dryRun) {

  /** registry:2's defaults. */
  public static UploadPurging defaults() {
    return new UploadPurging(true, Duration.ofHours(168), Duration.ofHours(24), false);
  }
}
