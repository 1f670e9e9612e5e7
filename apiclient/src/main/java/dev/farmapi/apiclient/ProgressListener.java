package dev.farmapi.apiclient;

/**
 * Told about bytes as they go out, many times per chunk (every 64 KiB or so), from the thread
 * that sends them: keep it quick. After a failure the count can step back to where the server's
 * bytes end, since those bytes are sent again.
 */
@FunctionalInterface
public interface ProgressListener {
  void onProgress(MediaUploadProgress progress);
}
