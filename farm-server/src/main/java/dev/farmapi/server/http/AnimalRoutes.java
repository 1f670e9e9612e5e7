package dev.farmapi.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.farmapi.server.ApiException;
import dev.farmapi.server.store.Animal;
import dev.farmapi.server.store.AnimalFields;
import dev.farmapi.server.store.AnimalPage;
import dev.farmapi.server.store.Ids;
import dev.farmapi.server.store.MetadataStore;
import dev.farmapi.server.upload.Uploads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.function.UnaryOperator;

/** The JSON methods of {@code farm/v1/animals}: insert (no media), get, list, patch, update, delete. */
final class AnimalRoutes {
  static final int DEFAULT_PAGE = 100;
  static final int MAX_PAGE = 1000;

  private final MetadataStore meta;
  private final Uploads uploads;
  private final Clock clock;

  AnimalRoutes(MetadataStore meta, Uploads uploads, Clock clock) {
    this.meta = meta;
    this.uploads = uploads;
    this.clock = clock;
  }

  void insert(Exchange ex) throws IOException {
    AnimalFields fields = AnimalJson.fields(ex.jsonBody("animal"));
    Animal animal = Animal.create(ex.farm, Ids.animalId(), fields, null, now());
    meta.insertAnimal(animal);
    ex.sendJson(200, AnimalJson.render(animal, ex.baseUrl));
  }

  void get(Exchange ex, String id) {
    ex.sendJson(200, AnimalJson.render(find(ex.farm, id), ex.baseUrl));
  }

  void list(Exchange ex) {
    int limit = maxResults(ex.query.get("maxResults"));
    long cursor = cursor(ex.query.get("pageToken"));
    AnimalPage page = meta.listAnimals(ex.farm, cursor, limit);
    ObjectNode json = Json.object().put("kind", "farm#animalList");
    ArrayNode items = json.putArray("items");
    page.animals().forEach(a -> items.add(AnimalJson.render(a, ex.baseUrl)));
    page.next().ifPresent(next -> json.put("nextPageToken", token(next)));
    ex.sendJson(200, json);
  }

  void patch(Exchange ex, String id) throws IOException {
    write(ex, id, AnimalJson.patch(ex.jsonBody("animal")));
  }

  void update(Exchange ex, String id) throws IOException {
    AnimalFields fields = AnimalJson.fields(ex.jsonBody("animal"));
    write(ex, id, old -> fields);
  }

  void delete(Exchange ex, String id) {
    checkId(id);
    uploads.deleteAnimal(ex.farm, id).orElseThrow(() -> notFound(id));
    ex.sendEmpty(204);
  }

  private void write(Exchange ex, String id, UnaryOperator<AnimalFields> change) {
    checkId(id);
    Instant now = now();
    Animal after = meta
        .updateAnimal(ex.farm, id, a -> a.withFields(change.apply(a.fields()), now))
        .orElseThrow(() -> notFound(id))
        .after();
    ex.sendJson(200, AnimalJson.render(after, ex.baseUrl));
  }

  /** The animal {@code id} of {@code farm}: 404 for another farm's, exactly as for none. */
  Animal find(String farm, String id) {
    checkId(id);
    return meta.animal(farm, id).orElseThrow(() -> notFound(id));
  }

  static void checkId(String id) {
    if (!Ids.isWellFormed(id)) {
      throw ApiException.badRequest("invalidId", "animal id '" + Texts.excerpt(id)
          + "' is malformed; ids are 1 to 64 characters of A-Z, a-z, 0-9, '-' and '_'");
    }
  }

  private static ApiException notFound(String id) {
    return ApiException.notFound("animal " + id + " not found");
  }

  private static int maxResults(String value) {
    if (value == null) {
      return DEFAULT_PAGE;
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= 1 && n <= MAX_PAGE) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.badRequest("invalidParameter", "maxResults=" + Texts.excerpt(value)
        + " is not valid; use an integer from 1 to " + MAX_PAGE);
  }

  // Page tokens are opaque to clients; inside, a position in the farm's insertion order, so
  // paging is stable while animals are added or deleted.
  private static String token(long cursor) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(("p1:" + cursor).getBytes(StandardCharsets.US_ASCII));
  }

  private static long cursor(String token) {
    if (token == null || token.isEmpty()) {
      return 0;
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII);
      if (text.startsWith("p1:")) {
        long cursor = Long.parseLong(text.substring(3));
        if (cursor >= 0) {
          return cursor;
        }
      }
    } catch (IllegalArgumentException e) {
      // reported below (NumberFormatException is one)
    }
    throw ApiException.badRequest("invalidPageToken",
        "pageToken is not one this server issued; pass nextPageToken from the previous page");
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
