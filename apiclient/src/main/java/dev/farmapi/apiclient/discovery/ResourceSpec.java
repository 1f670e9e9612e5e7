package dev.farmapi.apiclient.discovery;

import java.util.Map;

/** A resource of a discovery document: its methods and nested resources, in document order. */
record ResourceSpec(String path, Map<String, MethodSpec> methods,
    Map<String, ResourceSpec> resources) {}
