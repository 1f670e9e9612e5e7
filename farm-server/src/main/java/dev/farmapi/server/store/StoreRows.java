package dev.farmapi.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Rows to values, for every JDBC store: the SQLite and PostgreSQL schemas name their columns
 * alike (booleans are SQLite integers, which JDBC reads as booleans too).
 */
final class StoreRows {
  private StoreRows() {}

  static Animal animal(ResultSet rs) throws SQLException {
    String blobKey = rs.getString("blob_key");
    Media media = blobKey == null ? null : new Media(blobKey, rs.getString("content_type"),
        rs.getLong("media_size"), rs.getString("md5"), rs.getString("crc32c"));
    return new Animal(rs.getString("farm"), rs.getString("id"), rs.getString("name"),
        rs.getString("species"), rs.getString("etag"),
        Instant.ofEpochMilli(rs.getLong("create_time")),
        Instant.ofEpochMilli(rs.getLong("update_time")), media);
  }

  static UploadSession session(ResultSet rs) throws SQLException {
    AnimalFields fields = rs.getBoolean("has_fields")
        ? new AnimalFields(rs.getString("name"), rs.getString("species")) : null;
    return new UploadSession(rs.getString("id"), rs.getString("farm"), rs.getString("method_id"),
        rs.getString("animal_id"), fields, rs.getString("content_type"), rs.getLong("total"),
        rs.getLong("committed"), UploadSession.State.valueOf(rs.getString("state")),
        rs.getString("blob_key"), rs.getString("result_animal_id"), rs.getString("blob_state"),
        Instant.ofEpochMilli(rs.getLong("create_time")),
        Instant.ofEpochMilli(rs.getLong("expire_time")), rs.getString("key_id"));
  }

  static ApiKey apiKey(ResultSet rs) throws SQLException {
    return new ApiKey(rs.getString("key_id"), rs.getString("key_hash"), rs.getString("farm"),
        Instant.ofEpochMilli(rs.getLong("create_time")), instant(rs, "expire_time"),
        rs.getBoolean("read_only"), rs.getString("note"), instant(rs, "last_use_time"),
        instant(rs, "revoke_time"));
  }

  /** A nullable time column (epoch milliseconds). */
  static Instant instant(ResultSet rs, String column) throws SQLException {
    long millis = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
  }
}
