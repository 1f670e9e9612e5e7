package dev.farmapi.farm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Optional;

/** One page of animals; {@code nextPageToken} fetches the next one. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AnimalList(List<Animal> items, String nextPageToken) {
  public AnimalList {
    items = items == null ? List.of() : List.copyOf(items);
  }

  public Optional<String> next() {
    return Optional.ofNullable(nextPageToken);
  }
}
