package dev.farmapi.apiclient;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** Turns a response's JSON into the value a request returns. */
@FunctionalInterface
public interface ResponseParser<T> {
  T parse(JsonNode json) throws IOException;
}
