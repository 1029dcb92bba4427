package dev.berth.storage.driver.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.config.StorageSettings;
import dev.berth.storage.driver.StorageException;
import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

class S3ParametersTest {

  private static final StorageSettings.S3 MINIO =
      S3Settings.forEndpoint("http://minio:9000", "registry", "/", "ak", "sk");

  @Test
  void of_customEndpointWithoutRegion_signsForUsEast1() {
    S3Parameters parameters = S3Parameters.of(MINIO, S3Limits.AWS);

    assertThat(parameters.region()).isEqualTo(Region.US_EAST_1);
    assertThat(parameters.endpoint()).contains(URI.create("http://minio:9000"));
    assertThat(parameters.rootPrefix()).isEmpty();
    assertThat(parameters.encryption()).isEmpty();
  }

  @Test
  void of_chunkSizeBelowFiveMebibytes_isRefusedNamingParameter() {
    StorageSettings.S3 small = S3Settings.withSizes(MINIO, 1024 * 1024, 32 << 20, 32 << 20);

    assertThatThrownBy(() -> S3Parameters.of(small, S3Limits.AWS))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("chunksize")
        .hasMessageContaining("5242880");
  }

  @Test
  void of_encryptWithoutKeyId_usesS3ManagedKeys() {
    S3Parameters parameters = S3Parameters.of(S3Settings.encrypted(MINIO), S3Limits.AWS);

    assertThat(parameters.encryption()).contains(ServerSideEncryption.AES256);
    assertThat(parameters.kmsKeyId()).isEmpty();
  }

  @Test
  void of_rootDirectoryWithSlashes_trimsLikeRegistry2() {
    StorageSettings.S3 rooted =
        S3Settings.forEndpoint("http://minio:9000", "registry", "//a/b//", "ak", "sk");

    assertThat(S3Parameters.of(rooted, S3Limits.AWS).rootPrefix()).isEqualTo("a/b");
  }

  @Test
  void of_awsWithoutRegion_isRefused() {
    StorageSettings.S3 aws = withEndpointAndRegion(null, null);

    assertThatThrownBy(() -> S3Parameters.of(aws, S3Limits.AWS))
        .hasMessageContaining("no region parameter provided");
  }

  @Test
  void of_awsWithUnknownRegion_isRefused() {
    StorageSettings.S3 aws = withEndpointAndRegion(null, "mars-north-1");

    assertThatThrownBy(() -> S3Parameters.of(aws, S3Limits.AWS))
        .hasMessageContaining("invalid region provided: mars-north-1");
  }

  @Test
  void of_awsKnownRegion_hasNoEndpointOverride() {
    S3Parameters parameters =
        S3Parameters.of(withEndpointAndRegion(null, "eu-west-1"), S3Limits.AWS);

    assertThat(parameters.endpoint()).isEmpty();
    assertThat(parameters.endpointDescription()).isEqualTo("s3.eu-west-1.amazonaws.com");
  }

  private static StorageSettings.S3 withEndpointAndRegion(String endpoint, String region) {
    StorageSettings.S3 s = MINIO;
    return new StorageSettings.S3(
        s.accessKey(),
        s.secretKey(),
        null,
        region,
        endpoint,
        false,
        s.bucket(),
        false,
        null,
        true,
        false,
        true,
        s.chunkSize(),
        s.multipartCopyChunkSize(),
        s.multipartCopyMaxConcurrency(),
        s.multipartCopyThresholdSize(),
        s.rootDirectory(),
        s.storageClass(),
        s.objectAcl(),
        null,
        false,
        false,
        "off");
  }
}
