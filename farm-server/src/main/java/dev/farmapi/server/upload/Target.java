package dev.farmapi.server.upload;

import dev.farmapi.server.store.Ids;

/**
 * What an upload writes to: a new animal of {@code farm} ({@code animalId} null, method
 * {@code farm.animals.insert}) or the picture of an existing one ({@code farm.animals.update}).
 */
public record Target(String farm, String animalId) {
  public static final String INSERT = "farm.animals.insert";
  public static final String UPDATE = "farm.animals.update";

  public static Target insert(String farm) {
    return new Target(farm, null);
  }

  public static Target update(String farm, String animalId) {
    if (!Ids.isWellFormed(animalId)) {
      throw new IllegalArgumentException("malformed animal id");
    }
    return new Target(farm, animalId);
  }

  public boolean isInsert() {
    return animalId == null;
  }

  public String methodId() {
    return isInsert() ? INSERT : UPDATE;
  }
}
