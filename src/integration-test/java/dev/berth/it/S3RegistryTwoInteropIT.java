package dev.berth.it;

import dev.berth.it.support.Storage;
import dev.berth.storage.driver.s3.S3ProxyServer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RegistryTwoInteropIT} on one S3 bucket (S3Proxy): {@code docker-registry} with its s3
 * driver ({@code regionendpoint} on 127.0.0.1, path-style, SigV4) and Berth read each other's
 * objects, each test under a fresh {@code rootdirectory}. Both have redirects disabled, so that
 * every answer, blobs included, comes from the registry and can be compared.
 */
class S3RegistryTwoInteropIT extends RegistryTwoInteropIT {
  private static final String BUCKET = "interop";
  private static final AtomicInteger roots = new AtomicInteger();

  @RegisterExtension static final S3ProxyServer s3 = S3ProxyServer.filesystem();

  @BeforeAll
  static void bucket() {
    s3.createBucket(BUCKET);
  }

  @Override
  Storage storage(Path temp) {
    return Storage.s3(s3.endpoint(), BUCKET, "/interop-" + roots.incrementAndGet(), true);
  }
}
