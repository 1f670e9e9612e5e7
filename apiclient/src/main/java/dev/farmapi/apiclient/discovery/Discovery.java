package dev.farmapi.apiclient.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.apiclient.ApiClient;
import dev.farmapi.apiclient.internal.Uris;
import java.io.IOException;
import java.net.URI;
import java.util.Objects;

/**
 * Builds a {@link Service} from a discovery document, as Python's {@code build} and
 * {@code build_from_document}: the document says which resources and methods exist, their
 * parameters, and which methods take media.
 *
 * <pre>{@code
 * ApiClient client = ApiClient.builder().apiKey(key).build();
 * Service farm = Discovery.build(URI.create("http://localhost:8080/discovery/v1/apis/farm/v1/rest"), client);
 * JsonNode pig = farm.resource("animals").method("insert")
 *     .body(Map.of("name", "Pig"))
 *     .mediaBody(Path.of("pig.png"))
 *     .execute();
 * }</pre>
 *
 * <p>The whole document is read and checked at once: whatever the Python client would fail on
 * when a method is created ({@code rootUrl} missing, a {@code maxSize} of "1.5KB") fails here
 * with an {@link InvalidDiscoveryDocumentError}, for every resource, not at the first call.
 */
public final class Discovery {
  private Discovery() {}

  /**
   * Fetches the document at {@code discoveryUrl} with {@code client} (its credentials, retries
   * and timeouts) and builds the service, whose calls go through the same client.
   *
   * @throws dev.farmapi.apiclient.HttpError when the server answers with an error status
   * @throws InvalidDiscoveryDocumentError when the answer is not a usable document
   */
  public static Service build(URI discoveryUrl, ApiClient client) throws IOException {
    Objects.requireNonNull(client, "client");
    JsonNode doc;
    try {
      doc = client.request("GET", discoveryUrl).header("Accept", "application/json").build()
          .execute();
    } catch (JsonProcessingException e) {
      throw new InvalidDiscoveryDocumentError(Uris.display(discoveryUrl)
          + " did not answer with JSON: " + e.getOriginalMessage(), e);
    }
    return fromDocument(doc, client);
  }

  /**
   * Builds the service from a document's text.
   *
   * @throws InvalidDiscoveryDocumentError when the text is not JSON or not a usable document
   */
  public static Service fromDocument(String json, ApiClient client)
      throws InvalidDiscoveryDocumentError {
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(client, "client");
    try {
      return fromDocument(client.json().readTree(json), client);
    } catch (JsonProcessingException e) {
      throw new InvalidDiscoveryDocumentError("a discovery document must be JSON: "
          + e.getOriginalMessage(), e);
    }
  }

  /**
   * Builds the service from a parsed document. The tree is read, not kept: changing it later
   * changes nothing.
   *
   * @throws InvalidDiscoveryDocumentError when the tree is not a usable document
   */
  public static Service fromDocument(JsonNode document, ApiClient client)
      throws InvalidDiscoveryDocumentError {
    Objects.requireNonNull(client, "client");
    return new Service(DocumentParser.parse(document), client);
  }
}
