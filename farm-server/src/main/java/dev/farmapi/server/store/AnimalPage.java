package dev.farmapi.server.store;

import java.util.List;
import java.util.OptionalLong;

/**
 * One page of a farm's animals in a stable order (insertion order). {@code next} is the cursor
 * to pass for the following page, empty on the last page.
 */
public record AnimalPage(List<Animal> animals, OptionalLong next) {
  public AnimalPage {
    animals = List.copyOf(animals);
  }
}
