/**
 * Dynamic services from discovery documents, as google-api-python-client's {@code discovery}
 * module: {@link dev.farmapi.apiclient.discovery.Discovery} reads a document into a
 * {@link dev.farmapi.apiclient.discovery.Service}, whose
 * {@link dev.farmapi.apiclient.discovery.Resource}s start
 * {@link dev.farmapi.apiclient.discovery.MethodCall}s that check their parameters and media the
 * way the Python client does and build {@link dev.farmapi.apiclient.HttpRequest}s.
 *
 * <pre>{@code
 * Service farm = Discovery.build(URI.create(root + "discovery/v1/apis/farm/v1/rest"), client);
 * MethodCall insert = farm.resource("animals").method("insert")
 *     .body(Map.of("name", "Pig"))
 *     .mediaBody(MediaFileUpload.of(Path.of("pig.png")).withMimeType("image/png").resumable());
 * JsonNode pig = null;
 * while (pig == null) {
 *   UploadChunk<JsonNode> chunk = insert.nextChunk();
 *   chunk.progress().ifPresent(p -> System.out.printf("Uploaded %d%%.%n", (int) (p.progress() * 100)));
 *   pig = chunk.response();
 * }
 * }</pre>
 */
package dev.farmapi.apiclient.discovery;
