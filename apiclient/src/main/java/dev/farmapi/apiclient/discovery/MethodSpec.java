package dev.farmapi.apiclient.discovery;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One method of a discovery document, fixed up as the Python client does it: the document's
 * global parameters and the stack's ({@code trace}, {@code pp}, {@code userip}, {@code strict})
 * added to its own, path parameters found in its path template.
 *
 * @param queryParams names sent in the query (location "query" and not in the path template)
 * @param pathParams names expanded into the path (location "path" or in the path template)
 * @param acceptsBody PUT, POST or PATCH with a {@code request} schema
 * @param mediaUpload how media may be sent, or null when the method takes none
 * @param responsePageToken the page token field of the response, or null
 * @param paging how to ask for the next page, or null when the method does not page
 */
record MethodSpec(String name, String id, String httpMethod, UriTemplate path,
    Map<String, ParameterSpec> parameters, Set<String> queryParams, Set<String> pathParams,
    boolean acceptsBody, boolean hasResponse, MediaUploadSpec mediaUpload,
    boolean supportsMediaDownload, String responsePageToken, Paging paging) {

  /** The names Python recognises as page tokens, in its order of preference. */
  static final List<String> PAGE_TOKEN_NAMES = List.of("pageToken", "nextPageToken");

  /**
   * How the next page is asked for: {@code requestName} set to the response's
   * {@code responseName}, in the query or in the request body.
   */
  record Paging(String requestName, boolean inQuery, String responseName) {}

  /**
   * A method's {@code mediaUpload}.
   *
   * @param accept the accepted media ranges, as listed ({@code image/*}, {@code *}{@code /*})
   * @param maxSize bytes, 0 or less for no limit
   * @param path the upload URL: {@code rootUrl + "upload/" + servicePath + path}
   */
  record MediaUploadSpec(List<String> accept, long maxSize, UriTemplate path) {}
}
