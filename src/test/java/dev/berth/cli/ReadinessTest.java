package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.Configuration;
import dev.berth.config.DebugSettings;
import dev.berth.config.HealthSettings;
import dev.berth.config.HttpSettings;
import dev.berth.config.StorageSettings;
import dev.berth.storage.driver.s3.S3ProxyServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadinessTest {

  private static Configuration over(StorageSettings.Driver driver) {
    HttpSettings http =
        new HttpSettings(
            "127.0.0.1:0",
            null,
            "test-secret",
            false,
            Duration.ofSeconds(5),
            "/",
            null,
            Map.of(),
            false,
            false,
            new DebugSettings("127.0.0.1:0", false, "/metrics"));
    return new Configuration(
        "0.1",
        new Configuration.LogSettings("info", "text", Map.of(), true),
        new StorageSettings(driver, false, false, false),
        http,
        new Configuration.Catalog(1000),
        new dev.berth.config.AuthSettings.None(),
        new HealthSettings(new HealthSettings.StorageDriverCheck(true, Duration.ofMillis(100), 2)));
  }

  @Test
  void readyz_storeBecomesUnreachable_notReadyWhileStillLive() throws Exception {
    try (S3ProxyServer s3 = S3ProxyServer.filesystem()) {
      s3.start();
      s3.createBucket("registry");
      try (ServeCommand.Running running =
          ServeCommand.start(over(s3.settings("registry", "/root")))) {
        int port = running.server().port();
        int debugPort = running.debugPort().getAsInt();
        HttpResponse<String> ready = Http.get(port, "/readyz");

        s3.close();
        HttpResponse<String> notReady =
            Http.await(port, "/readyz", r -> r.statusCode() == 503, Duration.ofSeconds(30));
        HttpResponse<String> debug = Http.get(debugPort, "/debug/health");

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).contains("storage driver s3 failed");
        assertThat(debug.statusCode()).isEqualTo(503);
        assertThat(debug.body()).contains("storagedriver_s3");
        assertThat(Http.get(port, "/healthz").statusCode()).isEqualTo(200);
      }
    }
  }
}
