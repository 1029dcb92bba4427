package dev.berth.config;

/**
 * One thing wrong with the configuration, named by the key or variable it is about.
 *
 * @param subject what is wrong: a variable with its value ({@code
 *     REGISTRY_STORAGE_S3_CHUNKSIZE=1000}) or a key with the file position ({@code config.yml:7:
 *     storage.s3.chunksize = 1000})
 * @param message what is allowed instead
 */
public record Problem(String subject, String message) {

  /** The problem as one line: {@code subject: message}. */
  @Override
  public String toString() {
    return subject + ": " + message;
  }
}
