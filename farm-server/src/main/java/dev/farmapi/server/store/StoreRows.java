package dev.farmapi.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Rows to values and animals back to rows, for every JDBC store: the SQLite and PostgreSQL
 * schemas name their columns alike (booleans are SQLite integers, which JDBC reads as booleans
 * too; each store writes its own booleans).
 */
final class StoreRows {
  private StoreRows() {}

  static final String KEY_COLUMNS = "key_id, key_hash, farm, create_time, expire_time,"
      + " read_only, note, last_use_time, revoke_time";

  static final String ANIMAL_COLUMNS = "farm, id, name, species, etag, create_time, update_time,"
      + " blob_key, content_type, media_size, md5, crc32c";

  static final String SESSION_COLUMNS =
      "id, farm, method_id, animal_id, has_fields, name, species, content_type, total, committed,"
          + " state, blob_key, result_animal_id, blob_state, create_time, expire_time, key_id";

  /** Inserts an animal: with {@link #newAnimal}'s values. */
  static final String INSERT_ANIMAL = "INSERT INTO animals (" + ANIMAL_COLUMNS + ")"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  /** Rewrites an animal's fields and media: with {@link #changedAnimal}'s values. */
  static final String UPDATE_ANIMAL = "UPDATE animals SET name = ?, species = ?, etag = ?,"
      + " update_time = ?, blob_key = ?, content_type = ?, media_size = ?, md5 = ?, crc32c = ?"
      + " WHERE farm = ? AND id = ?";

  static Object[] newAnimal(Animal a) {
    Media m = a.media();
    return new Object[] {a.farm(), a.id(), a.name(), a.species(), a.etag(),
        a.createTime().toEpochMilli(), a.updateTime().toEpochMilli(),
        m == null ? null : m.blobKey(), m == null ? null : m.contentType(),
        m == null ? null : m.size(), m == null ? null : m.md5(), m == null ? null : m.crc32c()};
  }

  static Object[] changedAnimal(Animal a) {
    Media m = a.media();
    return new Object[] {a.name(), a.species(), a.etag(), a.updateTime().toEpochMilli(),
        m == null ? null : m.blobKey(), m == null ? null : m.contentType(),
        m == null ? null : m.size(), m == null ? null : m.md5(), m == null ? null : m.crc32c(),
        a.farm(), a.id()};
  }

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
