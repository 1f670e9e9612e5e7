package dev.farmapi.apiclient;

/**
 * Told about a download's bytes as they reach the destination, many times per chunk (every
 * 64 KiB or so), from the thread that downloads: keep it quick. The count only grows, except
 * when the media changed on the server and the download starts over from 0.
 */
@FunctionalInterface
public interface DownloadProgressListener {
  void onProgress(MediaDownloadProgress progress);
}
