package dev.berth.storage.driver.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

class S3ErrorsTest {

  @Test
  void plain_messageWithQualifiedClassNames_keepsOnlyTheWords() {
    SdkClientException failure =
        SdkClientException.create(
            "Unable to load credentials: software.amazon.awssdk.services.sts.model"
                + ".InvalidIdentityTokenException: token refused (SDK Attempt Count: 3)");

    assertThat(S3Errors.plain(failure))
        .isEqualTo("Unable to load credentials: token refused (after 3 attempts)");
  }

  @Test
  void plain_noMessage_usesTheCauseMessage() {
    SdkClientException failure =
        SdkClientException.builder().cause(new ConnectException("Connection refused")).build();

    assertThat(S3Errors.plain(failure))
        .doesNotContain("software.amazon")
        .contains("Connection refused");
  }

  @Test
  void isCredentialsFailure_chainMessageAnywhereInCauses_isRecognised() {
    SdkClientException failure =
        SdkClientException.builder()
            .message("signing failed")
            .cause(SdkClientException.create(S3Credentials.NONE_FOUND + ": nothing"))
            .build();

    assertThat(S3Errors.isCredentialsFailure(failure)).isTrue();
    assertThat(S3Errors.isCredentialsFailure(SdkClientException.create("Connect failed")))
        .isFalse();
  }
}
