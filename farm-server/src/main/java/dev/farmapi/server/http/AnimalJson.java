package dev.farmapi.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.farmapi.server.ApiException;
import dev.farmapi.server.store.Animal;
import dev.farmapi.server.store.AnimalFields;
import dev.farmapi.server.store.Media;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/** The {@code farm#animal} JSON resource: rendering, and parsing what clients may write. */
final class AnimalJson {
  static final int MAX_NAME = 1024;
  static final int MAX_SPECIES = 256;

  /** Fields a client may send back as it got them; they are output only and ignored. */
  private static final Set<String> OUTPUT_ONLY = Set.of("kind", "id", "etag", "createTime",
      "updateTime", "mediaContentType", "mediaSize", "md5Hash", "crc32c", "mediaLink");

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private AnimalJson() {}

  static ObjectNode render(Animal a, String baseUrl) {
    ObjectNode json = Json.object()
        .put("kind", "farm#animal")
        .put("id", a.id());
    if (a.name() != null) {
      json.put("name", a.name());
    }
    if (a.species() != null) {
      json.put("species", a.species());
    }
    json.put("etag", a.etag())
        .put("createTime", TIME.format(a.createTime()))
        .put("updateTime", TIME.format(a.updateTime()));
    Media m = a.media();
    if (m != null) {
      json.put("mediaContentType", m.contentType())
          .put("mediaSize", Long.toString(m.size())) // int64 travels as a string in Google APIs
          .put("md5Hash", m.md5())
          .put("crc32c", m.crc32c())
          .put("mediaLink", baseUrl + "farm/v1/animals/" + a.id() + "?alt=media");
    }
    return json;
  }

  /** The writable fields of a whole-resource write (insert, update): absent means unset. */
  static AnimalFields fields(ObjectNode body) {
    return patch(body).apply(AnimalFields.EMPTY);
  }

  /** A patch: fields present replace (null clears them), absent ones stay. */
  static UnaryOperator<AnimalFields> patch(ObjectNode body) {
    String name = null;
    String species = null;
    boolean hasName = false;
    boolean hasSpecies = false;
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      switch (field.getKey()) {
        case "name" -> {
          hasName = true;
          name = text(field, MAX_NAME);
        }
        case "species" -> {
          hasSpecies = true;
          species = text(field, MAX_SPECIES);
        }
        default -> {
          if (!OUTPUT_ONLY.contains(field.getKey())) {
            throw ApiException.badRequest("unknownField", "unknown field '"
                + Texts.excerpt(field.getKey()) + "' in animal; writable fields are name and species");
          }
        }
      }
    }
    boolean setName = hasName;
    boolean setSpecies = hasSpecies;
    String newName = name;
    String newSpecies = species;
    return old -> new AnimalFields(setName ? newName : old.name(),
        setSpecies ? newSpecies : old.species());
  }

  private static String text(Map.Entry<String, JsonNode> field, int max) {
    JsonNode value = field.getValue();
    if (value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw ApiException.badRequest("invalidField", "animal field '" + field.getKey()
          + "' must be a string, not " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
    String text = value.textValue();
    if (text.length() > max) {
      throw ApiException.badRequest("invalidField", "animal field '" + field.getKey() + "' is "
          + text.length() + " characters; at most " + max + " are allowed");
    }
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        throw ApiException.badRequest("invalidField", "animal field '" + field.getKey()
            + "' contains a control character (U+" + String.format("%04X", (int) text.charAt(i))
            + ") at index " + i + "; use printable text");
      }
    }
    return text;
  }
}
