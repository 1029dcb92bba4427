package dev.berth.storage.driver.s3;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Logs every S3 request attempt when {@code loglevel} asks for it: the operation and the HTTP
 * status, never headers, signatures or URLs.
 */
final class S3RequestLogger implements ExecutionInterceptor {

  private static final Logger log = LoggerFactory.getLogger(S3RequestLogger.class);

  @Override
  public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
    log.atInfo()
        .setMessage("s3 request")
        .addKeyValue("driver", "s3")
        .addKeyValue("s3.operation", attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
        .addKeyValue("http.status", context.httpResponse().statusCode())
        .log();
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    log.atInfo()
        .setMessage("s3 request failed")
        .addKeyValue("driver", "s3")
        .addKeyValue("s3.operation", attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
        .addKeyValue("error", context.exception().getClass().getSimpleName())
        .log();
  }
}
