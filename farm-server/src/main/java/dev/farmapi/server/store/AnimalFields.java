package dev.farmapi.server.store;

/**
 * The fields of an animal a client may write. Either may be null (unset).
 * Validation of their content happens where they are parsed from JSON.
 */
public record AnimalFields(String name, String species) {
  public static final AnimalFields EMPTY = new AnimalFields(null, null);
}
