package dev.farmapi.farm;

import dev.farmapi.apiclient.ApiClient;
import dev.farmapi.apiclient.HttpRequest;
import dev.farmapi.apiclient.MediaDownload;
import dev.farmapi.apiclient.media.MediaFileUpload;
import dev.farmapi.apiclient.media.MediaUpload;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The {@code animals} collection: each method returns a request to {@code execute()} (or, for a
 * resumable upload, to step through with {@code nextChunk()}). The {@code prepare...} forms
 * return the request's builder, for progress and session listeners or to resume a saved upload.
 */
public final class Animals {
  private final ApiClient client;
  private final URI root;

  Animals(ApiClient client, URI root) {
    this.client = client;
    this.root = root;
  }

  /** Inserts an animal without a picture. */
  public HttpRequest<Animal> insert(Animal animal) {
    return client.request("POST", uri("farm/v1/animals")).body(animal.writableFields())
        .as(Animal.class).build();
  }

  /** Inserts an animal with a picture: the file, sent in one request, its type from its name. */
  public HttpRequest<Animal> insert(Animal animal, Path picture) throws IOException {
    return insert(animal, MediaFileUpload.of(picture));
  }

  /** Inserts an animal with a picture; resumable media go in a resumable session. */
  public HttpRequest<Animal> insert(Animal animal, MediaUpload picture)
      {
    return prepareInsert(animal, picture).build();
  }

  /** The builder of an insert with media. */
  public HttpRequest.Builder<Animal> prepareInsert(Animal animal, MediaUpload picture) {
    return client.request("POST", uri("farm/v1/animals")).body(animal.writableFields())
        .media(picture, uri("upload/farm/v1/animals")).as(Animal.class);
  }

  public HttpRequest<Animal> get(String id) {
    return prepareGet(id).build();
  }

  /**
   * The builder of a get: {@code .parser(json -> json)} gives the server's JSON as it sent it
   * (what {@code farm animals get --json} prints).
   */
  public HttpRequest.Builder<Animal> prepareGet(String id) {
    return client.request("GET", uri("farm/v1/animals/" + encode(id))).as(Animal.class);
  }

  /** The first page of animals, oldest first. */
  public HttpRequest<AnimalList> list() {
    return list(0, null);
  }

  /** A page of up to {@code maxResults} animals (0 for the server's default) from a token. */
  public HttpRequest<AnimalList> list(int maxResults, String pageToken) {
    return prepareList(maxResults, pageToken).build();
  }

  /** The builder of a page of animals, as {@link #list(int, String)}. */
  public HttpRequest.Builder<AnimalList> prepareList(int maxResults, String pageToken) {
    StringBuilder query = new StringBuilder("farm/v1/animals");
    String sep = "?";
    if (maxResults > 0) {
      query.append(sep).append("maxResults=").append(maxResults);
      sep = "&";
    }
    if (pageToken != null) {
      query.append(sep).append("pageToken=").append(encode(pageToken));
    }
    return client.request("GET", uri(query.toString())).as(AnimalList.class);
  }

  /** Every animal, fetching pages of {@code pageSize} as the iteration goes. */
  public Iterable<Animal> all(int pageSize) {
    return () -> new Iterator<>() {
      private Iterator<Animal> page = java.util.Collections.emptyIterator();
      private String token;
      private boolean last;

      @Override
      public boolean hasNext() {
        while (!page.hasNext() && !last) {
          AnimalList list;
          try {
            list = list(pageSize, token).execute();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          page = list.items().iterator();
          token = list.nextPageToken();
          last = token == null;
        }
        return page.hasNext();
      }

      @Override
      public Animal next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return page.next();
      }
    };
  }

  /** Changes the fields set in {@code changes} (name, species); the others stay. */
  public HttpRequest<Animal> patch(String id, Animal changes) {
    return preparePatch(id, changes).build();
  }

  /** The builder of a patch, as {@link #patch}. */
  public HttpRequest.Builder<Animal> preparePatch(String id, Animal changes) {
    return client.request("PATCH", uri("farm/v1/animals/" + encode(id)))
        .body(changes.writableFields()).as(Animal.class);
  }

  /** Replaces the name and species (unset ones are cleared). */
  public HttpRequest<Animal> update(String id, Animal animal) {
    return client.request("PUT", uri("farm/v1/animals/" + encode(id)))
        .body(animal.writableFields()).as(Animal.class).build();
  }

  /** Replaces the picture, and the name and species when {@code animal} is not null. */
  public HttpRequest<Animal> update(String id, Animal animal, MediaUpload picture)
      {
    return prepareUpdate(id, animal, picture).build();
  }

  /** The builder of an update with media. */
  public HttpRequest.Builder<Animal> prepareUpdate(String id, Animal animal, MediaUpload picture) {
    return client.request("PUT", uri("farm/v1/animals/" + encode(id)))
        .body(animal == null ? null : animal.writableFields())
        .media(picture, uri("upload/farm/v1/animals/" + encode(id))).as(Animal.class);
  }

  /** Deletes an animal and its picture. */
  public HttpRequest<Void> delete(String id) {
    return client.request("DELETE", uri("farm/v1/animals/" + encode(id)))
        .parser(json -> (Void) null).build();
  }

  /**
   * A download of an animal's picture to a file: ranged, resumable (also by a new process, from
   * the partial file it leaves), verified against the server's CRC32C (and MD5 if the client
   * verifies MD5). Call {@code execute()} or step with {@code nextChunk()}.
   */
  public MediaDownload download(String id, Path target) {
    return MediaDownload.to(target, client, mediaUri(id));
  }

  /** A download of an animal's picture to a stream (flushed, not closed). */
  public MediaDownload download(String id, OutputStream out) {
    return MediaDownload.to(out, client, mediaUri(id));
  }

  /** The download URL of an animal's picture. */
  public URI mediaUri(String id) {
    return uri("farm/v1/animals/" + encode(id) + "?alt=media");
  }

  private URI uri(String path) {
    return root.resolve(path);
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
