package dev.farmapi.server.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An animal of one farm, as stored. Immutable; every change makes a new value with a new etag.
 *
 * @param farm the tenant that owns it; never shown to clients
 * @param id the id, unique within its farm
 * @param name optional display name
 * @param species optional species
 * @param etag changes with every write
 * @param media the picture, or null when the animal has none
 */
public record Animal(
    String farm,
    String id,
    String name,
    String species,
    String etag,
    Instant createTime,
    Instant updateTime,
    Media media) {

  public Animal {
    Objects.requireNonNull(farm, "farm");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(etag, "etag");
    Objects.requireNonNull(createTime, "createTime");
    Objects.requireNonNull(updateTime, "updateTime");
  }

  /** A new animal with a fresh etag, created now. */
  public static Animal create(String farm, String id, AnimalFields fields, Media media, Instant now) {
    return new Animal(farm, id, fields.name(), fields.species(), Ids.etag(), now, now, media);
  }

  /** This animal with {@code fields} replacing name and species, as of {@code now}. */
  public Animal withFields(AnimalFields fields, Instant now) {
    return new Animal(farm, id, fields.name(), fields.species(), Ids.etag(), createTime, now, media);
  }

  /** This animal with new media, as of {@code now}. */
  public Animal withMedia(Media newMedia, Instant now) {
    return new Animal(farm, id, name, species, Ids.etag(), createTime, now, newMedia);
  }

  /** The client-writable fields of this animal. */
  public AnimalFields fields() {
    return new AnimalFields(name, species);
  }
}
