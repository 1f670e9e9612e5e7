package dev.farmapi.farm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An animal on the farm, as the server returns it. Clients write only {@code name} and
 * {@code species}; the rest is the server's: {@code new Animal("Pig")} is all an insert needs.
 *
 * @param id the server's id
 * @param name display name, or null
 * @param species species, or null
 * @param etag changes with every write
 * @param mediaContentType the picture's media type, when it has one
 * @param mediaSize the picture's size in bytes, when it has one
 * @param md5Hash base64 MD5 of the picture
 * @param crc32c base64 big-endian CRC32C of the picture
 * @param mediaLink URL to download the picture (needs the API key)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Animal(
    String id,
    String name,
    String species,
    String etag,
    Instant createTime,
    Instant updateTime,
    String mediaContentType,
    Long mediaSize,
    String md5Hash,
    String crc32c,
    String mediaLink) {

  /** An animal to insert, with a name. */
  public Animal(String name) {
    this(null, name, null, null, null, null, null, null, null, null, null);
  }

  public Animal withName(String newName) {
    return new Animal(id, newName, species, etag, createTime, updateTime, mediaContentType,
        mediaSize, md5Hash, crc32c, mediaLink);
  }

  public Animal withSpecies(String newSpecies) {
    return new Animal(id, name, newSpecies, etag, createTime, updateTime, mediaContentType,
        mediaSize, md5Hash, crc32c, mediaLink);
  }

  /** Whether the animal has a picture. */
  public boolean hasMedia() {
    return mediaSize != null;
  }

  /** What a write sends: the fields a client may set, leaving out the unset ones. */
  Map<String, Object> writableFields() {
    Map<String, Object> fields = new LinkedHashMap<>();
    if (name != null) {
      fields.put("name", name);
    }
    if (species != null) {
      fields.put("species", species);
    }
    return fields;
  }
}
