package dev.farmapi.apiclient.discovery;

import dev.farmapi.apiclient.ApiClient;
import java.util.Set;

/**
 * An API as its discovery document describes it: its resources, each with methods and possibly
 * nested resources, as Python's {@code Resource} built by {@code build()}. Immutable and
 * thread-safe; the calls it makes are not.
 *
 * <pre>{@code
 * MethodCall get = farm.resource("animals").method("get").param("id", id);
 * }</pre>
 *
 * <p>Names are the document's own: {@code resource("animals")}, {@code method("import")},
 * {@code param("max-results", 10)}, where Python would say {@code import_} and
 * {@code max_results}.
 */
public final class Service {
  private final ServiceSpec spec;
  private final ApiClient client;
  private final Resource root;

  Service(ServiceSpec spec, ApiClient client) {
    this.spec = spec;
    this.client = client;
    this.root = new Resource(this, spec.root());
  }

  /**
   * A top-level resource.
   *
   * @throws IllegalArgumentException when there is none of that name; the message lists those
   *     there are
   */
  public Resource resource(String name) {
    return root.resource(name);
  }

  /** A method of the document itself, outside any resource (rare, but allowed). */
  public MethodCall method(String name) {
    return root.method(name);
  }

  /** The names of the top-level resources, in document order. */
  public Set<String> resourceNames() {
    return root.resourceNames();
  }

  /** The names of the document's own methods (outside any resource), in document order. */
  public Set<String> methodNames() {
    return root.methodNames();
  }

  /** The document's {@code name}, e.g. "farm"; empty if it has none. */
  public String name() {
    return spec.name();
  }

  /** The document's {@code version}, e.g. "v1"; empty if it has none. */
  public String version() {
    return spec.version();
  }

  /** The document's {@code rootUrl}, e.g. "http://localhost:8080/". */
  public String rootUrl() {
    return spec.rootUrl();
  }

  /** The document's {@code servicePath}, e.g. "farm/v1/". */
  public String servicePath() {
    return spec.servicePath();
  }

  /** {@code rootUrl} joined with {@code servicePath}: what method paths are relative to. */
  public String baseUrl() {
    return spec.baseUrl();
  }

  /** The client every call of this service goes through. */
  public ApiClient client() {
    return client;
  }

  ServiceSpec spec() {
    return spec;
  }

  @Override
  public String toString() {
    return "Service{" + spec.name() + " " + spec.version() + " at " + spec.baseUrl() + "}";
  }
}
