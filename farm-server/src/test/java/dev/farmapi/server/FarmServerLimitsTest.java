package dev.farmapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farmapi.server.store.S3Location;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Limits a server derives from where it stores its blobs. */
class FarmServerLimitsTest {
  @Test
  void onS3UploadsAreCappedAtTenThousandPartsAndElsewhereTheConfigStands() {
    ServerConfig local = ServerConfig.builder(Path.of("unused")).build();
    ServerConfig s3 = ServerConfig.builder(Path.of("unused"))
        .blobStore(S3Location.parse("s3://bucket?endpoint=http://127.0.0.1:9000")).build();
    ServerConfig s3Small = ServerConfig.builder(Path.of("unused")).maxUploadSize(1 << 30)
        .blobStore(S3Location.parse("s3://bucket")).build();

    assertThat(FarmServer.maxUploadSize(local)).isEqualTo(5L << 40);
    assertThat(FarmServer.maxUploadSize(s3)).isEqualTo(10_000L * (8 << 20));
    assertThat(FarmServer.maxUploadSize(s3Small)).isEqualTo(1 << 30);
  }
}
