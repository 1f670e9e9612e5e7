package dev.farmapi.server.protocol;

import dev.farmapi.server.testing.FaultyBlobStore;
import dev.farmapi.server.testing.TestServer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The downloads of {@link DownloadTest} from a blob store that gives streams rather than files,
 * as an object store does: the server reads them through one pooled buffer instead of mapping.
 */
class DownloadThroughABufferTest extends DownloadTest {
  @Override
  TestServer startServer(Path dir) throws IOException {
    return TestServer.start(dir, b -> b, blobs -> {
      FaultyBlobStore streams = new FaultyBlobStore(blobs);
      streams.readAsStreams();
      return streams;
    }, meta -> meta);
  }
}
