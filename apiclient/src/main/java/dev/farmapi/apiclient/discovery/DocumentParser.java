package dev.farmapi.apiclient.discovery;

import static dev.farmapi.apiclient.discovery.JsonFields.entries;
import static dev.farmapi.apiclient.discovery.JsonFields.object;
import static dev.farmapi.apiclient.discovery.JsonFields.optionalText;
import static dev.farmapi.apiclient.discovery.JsonFields.text;
import static dev.farmapi.apiclient.discovery.JsonFields.truthy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farmapi.apiclient.discovery.MethodSpec.MediaUploadSpec;
import dev.farmapi.apiclient.discovery.MethodSpec.Paging;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a discovery document into {@link ServiceSpec}, all of it at once: a document the Python
 * client would fail on fails here, when it is read rather than at the first call of a method.
 */
final class DocumentParser {
  private static final Set<String> PAYLOAD_METHODS = Set.of("PUT", "POST", "PATCH");
  /** An RFC 9110 token, which is what an HTTP method is. */
  private static final Pattern HTTP_METHOD = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private final JsonNode schemas;
  private final Map<String, ParameterSpec> globalParameters;
  private final String rootUrl;
  private final String servicePath;
  private final String baseUrl;

  private DocumentParser(JsonNode doc) {
    rootUrl = text(doc, "rootUrl", "the document");
    servicePath = text(doc, "servicePath", "the document");
    URI root = uri(rootUrl, "rootUrl");
    // "http:s//h/" is absolute but has no host: calls would go to a relative URL.
    if (!root.isAbsolute() || !root.getScheme().matches("(?i)https?")
        || root.getRawAuthority() == null) {
      throw new IllegalArgumentException("rootUrl \"" + rootUrl + "\" is not an http(s) URL");
    }
    baseUrl = Urls.baseUrl(rootUrl, servicePath);
    URI base = uri(baseUrl, "rootUrl + servicePath");
    if (!base.isAbsolute() || !base.getScheme().matches("(?i)https?")
        || base.getRawAuthority() == null) {
      throw new IllegalArgumentException("rootUrl + servicePath \"" + baseUrl
          + "\" is not an http(s) URL");
    }
    schemas = doc.path("schemas");
    globalParameters = parameters(doc.get("parameters"), "the document's parameters");
  }

  /** The document as a service; anything unusable is an {@link InvalidDiscoveryDocumentError}. */
  static ServiceSpec parse(JsonNode doc) throws InvalidDiscoveryDocumentError {
    if (doc == null || !doc.isObject()) {
      throw new InvalidDiscoveryDocumentError("a discovery document is a JSON object, not "
          + (doc == null || doc.isMissingNode() ? "nothing" : doc.getNodeType()));
    }
    try {
      DocumentParser p = new DocumentParser(doc);
      return new ServiceSpec(optionalText(doc, "name"), optionalText(doc, "version"), p.rootUrl,
          p.servicePath, p.baseUrl, p.resource(doc, ""));
    } catch (IllegalArgumentException e) {
      throw new InvalidDiscoveryDocumentError("invalid discovery document: " + e.getMessage(), e);
    }
  }

  private ResourceSpec resource(JsonNode node, String path) {
    Map<String, MethodSpec> methods = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> m : entries(node.get("methods"), "methods of " + where(path))) {
      methods.put(m.getKey(), method(m.getKey(), m.getValue(), where(path)));
    }
    Map<String, ResourceSpec> resources = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> r : entries(node.get("resources"), "resources of " + where(path))) {
      String child = path.isEmpty() ? r.getKey() : path + "." + r.getKey();
      resources.put(r.getKey(), resource(object(r.getValue(), "resource " + child), child));
    }
    return new ResourceSpec(path, Collections.unmodifiableMap(methods),
        Collections.unmodifiableMap(resources));
  }

  private MethodSpec method(String name, JsonNode json, String owner) {
    String where = "method " + name + " of " + owner;
    object(json, where);
    String id = text(json, "id", where);
    where = "method " + id;
    String path = text(json, "path", where);
    String httpMethod = text(json, "httpMethod", where);
    // An empty or spaced one would only fail when called, inside the HTTP client.
    if (!HTTP_METHOD.matcher(httpMethod).matches()) {
      throw new IllegalArgumentException(where + " has httpMethod \"" + httpMethod
          + "\", which is not an HTTP method");
    }
    UriTemplate template = template(path, where);
    uri(Urls.join(baseUrl, template.expand(Map.of())), where + " path");

    // Python's order: the method's own parameters, then the document's, then the stack's.
    Map<String, ParameterSpec> params = new LinkedHashMap<>(
        parameters(json.get("parameters"), "parameters of " + where));
    params.putAll(globalParameters);
    for (String stack : ParameterSpec.STACK_QUERY_PARAMETERS) {
      params.put(stack, ParameterSpec.stackQuery(stack));
    }
    Set<String> pathParams = new LinkedHashSet<>(UriTemplate.pathNames(path));
    Set<String> queryParams = new LinkedHashSet<>();
    params.values().forEach(p -> {
      if ("path".equals(p.location())) {
        pathParams.add(p.name());
      } else if ("query".equals(p.location()) && !pathParams.contains(p.name())) {
        queryParams.add(p.name());
      }
    });

    String responseToken = pageTokenName(properties(json.get("response")));
    Paging paging = null;
    if (responseToken != null) {
      String inQuery = pageTokenName(params.keySet());
      String inBody = pageTokenName(properties(json.get("request")));
      paging = inQuery != null ? new Paging(inQuery, true, responseToken)
          : inBody != null ? new Paging(inBody, false, responseToken) : null;
    }
    return new MethodSpec(name, id, httpMethod, template, Collections.unmodifiableMap(params),
        Collections.unmodifiableSet(queryParams), Collections.unmodifiableSet(pathParams),
        PAYLOAD_METHODS.contains(httpMethod) && json.has("request"), json.has("response"),
        mediaUpload(json.get("mediaUpload"), path, where), truthy(json.get("supportsMediaDownload")),
        responseToken, paging);
  }

  private MediaUploadSpec mediaUpload(JsonNode json, String path, String where) {
    if (!truthy(json)) {
      return null; // an empty mediaUpload gives no media either, as in Python
    }
    where = "mediaUpload of " + where;
    object(json, where);
    List<String> accept = new ArrayList<>();
    JsonNode list = json.get("accept");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        throw new IllegalArgumentException(where + ": accept is not a list");
      }
      for (JsonNode range : list) {
        if (!range.isTextual()) {
          throw new IllegalArgumentException(where + ": accept holds " + range + ", not a string");
        }
        MediaRanges.check(range.textValue());
        accept.add(range.textValue());
      }
    }
    JsonNode maxSize = json.get("maxSize");
    if (maxSize != null && !maxSize.isTextual()) {
      throw new IllegalArgumentException(where + ": maxSize is " + maxSize + ", not a string");
    }
    long max;
    try {
      max = MediaSize.parse(maxSize == null ? "" : maxSize.textValue());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
    return new MediaUploadSpec(List.copyOf(accept), max,
        template(rootUrl + "upload/" + servicePath + path, where));
  }

  private Map<String, ParameterSpec> parameters(JsonNode json, String where) {
    Map<String, ParameterSpec> params = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : entries(json, where)) {
      String name = e.getKey();
      JsonNode p = object(e.getValue(), "parameter " + name + " in " + where);
      List<String> allowed = new ArrayList<>();
      if (truthy(p.get("enum"))) {
        if (!p.get("enum").isArray()) {
          throw new IllegalArgumentException("parameter " + name + " in " + where
              + ": enum is not a list");
        }
        p.get("enum").forEach(v -> allowed.add(v.asText()));
      }
      Pattern pattern = null;
      if (truthy(p.get("pattern"))) {
        try {
          pattern = Pattern.compile(p.get("pattern").asText());
        } catch (PatternSyntaxException ex) {
          throw new IllegalArgumentException("parameter " + name + " in " + where
              + ": pattern does not compile: " + ex.getDescription(), ex);
        }
      }
      params.put(name, new ParameterSpec(name,
          p.path("type").isTextual() ? p.get("type").textValue() : "string",
          p.path("location").isTextual() ? p.get("location").textValue() : null,
          truthy(p.get("required")), truthy(p.get("repeated")), List.copyOf(allowed), pattern));
    }
    return params;
  }

  /** A request or response schema's property names ({@code $ref} followed one level, as in Python). */
  private Set<String> properties(JsonNode desc) {
    if (desc != null && desc.has("$ref")) {
      desc = schemas.path(desc.get("$ref").asText());
    }
    Set<String> names = new LinkedHashSet<>();
    if (desc != null && desc.path("properties").isObject()) {
      desc.get("properties").fieldNames().forEachRemaining(names::add);
    }
    return names;
  }

  private static String pageTokenName(Set<String> names) {
    return MethodSpec.PAGE_TOKEN_NAMES.stream().filter(names::contains).findFirst().orElse(null);
  }

  private static UriTemplate template(String text, String where) {
    try {
      return new UriTemplate(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  private static URI uri(String text, String where) {
    try {
      return new URI(text);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(where + " \"" + text + "\" is not a valid URL: "
          + e.getReason(), e);
    }
  }

  private static String where(String resourcePath) {
    return resourcePath.isEmpty() ? "the document" : "resource " + resourcePath;
  }
}
