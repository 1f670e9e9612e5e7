package dev.farmapi.server.upload;

import dev.farmapi.server.store.Media;

/**
 * Media of a simple or multipart upload, durable in the blob store but not yet attached to any
 * animal. Either {@link Uploads#commit commit} or {@link Uploads#discard discard} it.
 */
public record StagedMedia(Media media) {}
