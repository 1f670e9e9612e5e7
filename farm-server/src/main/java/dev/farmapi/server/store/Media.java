package dev.farmapi.server.store;

/**
 * The picture (any media) attached to an animal: where its bytes live and what they are.
 *
 * @param blobKey the {@link BlobStore} key holding the bytes
 * @param contentType the media type the uploader declared
 * @param size the number of bytes
 * @param md5 base64 MD5 of the bytes, as Cloud Storage reports {@code md5Hash}
 * @param crc32c base64 big-endian CRC32C of the bytes, as Cloud Storage reports {@code crc32c}
 */
public record Media(String blobKey, String contentType, long size, String md5, String crc32c) {}
