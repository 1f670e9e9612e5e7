/**
 * apiclient: calls to REST APIs that accept media, in the manner of Google's API clients:
 * simple, multipart and resumable uploads with progress, retries, resume after a crash and
 * checksums; ranged, resumable downloads; dynamic services from discovery documents.
 */
module dev.farmapi.apiclient {
  requires transitive com.fasterxml.jackson.databind;
  requires transitive java.net.http;
  requires org.slf4j;

  exports dev.farmapi.apiclient;
  exports dev.farmapi.apiclient.media;
  exports dev.farmapi.apiclient.discovery;
}
