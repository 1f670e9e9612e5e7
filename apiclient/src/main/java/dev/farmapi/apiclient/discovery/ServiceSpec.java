package dev.farmapi.apiclient.discovery;

/**
 * A whole discovery document, parsed and checked.
 *
 * @param baseUrl {@code rootUrl} joined with {@code servicePath} as a URL (Python's
 *     {@code urljoin}): what method paths are relative to
 * @param root the document's own methods and its top-level resources
 */
record ServiceSpec(String name, String version, String rootUrl, String servicePath,
    String baseUrl, ResourceSpec root) {}
