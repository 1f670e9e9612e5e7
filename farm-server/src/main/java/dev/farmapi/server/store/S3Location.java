package dev.farmapi.server.store;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where a cluster's blobs are: {@code s3://BUCKET[/PREFIX]?endpoint=URL&region=R}. The endpoint
 * is any S3-compatible store (AWS S3 when absent, MinIO, S3Proxy, Cloud Storage's
 * interoperability endpoint); credentials come from the standard AWS environment variables.
 */
public record S3Location(String bucket, String prefix, URI endpoint, String region) {

  public static S3Location parse(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(usage(url, "is malformed"));
    }
    if (!"s3".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException(usage(url, "must start with s3://BUCKET"));
    }
    String prefix = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/+", "");
    if (!prefix.isEmpty() && !prefix.endsWith("/")) {
      prefix += "/";
    }
    URI endpoint = null;
    String region = "us-east-1";
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1),
            StandardCharsets.UTF_8);
        switch (name) {
          case "endpoint" -> endpoint = URI.create(value);
          case "region" -> region = value;
          default -> throw new IllegalArgumentException(usage(url, "has an unknown parameter '"
              + name + "'"));
        }
      }
    }
    return new S3Location(uri.getHost(), prefix, endpoint, region);
  }

  private static String usage(String url, String problem) {
    return "blob store URL '" + url + "' " + problem
        + "; expected s3://BUCKET[/PREFIX]?endpoint=URL&region=REGION";
  }

  @Override
  public String toString() {
    return "s3://" + bucket + "/" + prefix + (endpoint == null ? "" : " at " + endpoint);
  }
}
