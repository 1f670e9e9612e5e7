package dev.farmapi.apiclient.discovery;

import java.util.Set;

/**
 * A collection of an API ({@code animals}), with its methods and nested resources. Immutable
 * and thread-safe; every {@link #method} call starts a new, independent {@link MethodCall}.
 */
public final class Resource {
  private final Service service;
  private final ResourceSpec spec;

  Resource(Service service, ResourceSpec spec) {
    this.service = service;
    this.spec = spec;
  }

  /**
   * A nested resource: {@code resource("a").resource("b")}.
   *
   * @throws IllegalArgumentException when there is none of that name; the message lists those
   *     there are
   */
  public Resource resource(String name) {
    ResourceSpec child = spec.resources().get(name);
    if (child == null) {
      throw new IllegalArgumentException(describe() + " has no resource \"" + name + "\"; it has "
          + list(spec.resources().keySet()));
    }
    return new Resource(service, child);
  }

  /**
   * Starts a call of the method {@code name}.
   *
   * @throws IllegalArgumentException when there is none of that name; the message lists those
   *     there are
   */
  public MethodCall method(String name) {
    MethodSpec method = spec.methods().get(name);
    if (method == null) {
      throw new IllegalArgumentException(describe() + " has no method \"" + name + "\"; it has "
          + list(spec.methods().keySet()));
    }
    return new MethodCall(service, method);
  }

  /** The names of the nested resources, in document order. */
  public Set<String> resourceNames() {
    return spec.resources().keySet();
  }

  /** The names of the methods, in document order. */
  public Set<String> methodNames() {
    return spec.methods().keySet();
  }

  /** The resource's place in the document, e.g. "animals" or "projects.locations". */
  public String path() {
    return spec.path();
  }

  private String describe() {
    return spec.path().isEmpty() ? "service " + service.name() : "resource " + spec.path();
  }

  private static String list(Set<String> names) {
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  @Override
  public String toString() {
    return "Resource{" + service.name() + "." + spec.path() + "}";
  }
}
