package dev.farmapi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.farmapi.farm.Animal;
import dev.farmapi.farm.Farm;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code farm animals list|get|patch|delete}: the animals of a farm, through farm-client. */
@Command(name = "animals", mixinStandardHelpOptions = true,
    description = "List, show, change and delete the animals of a farm.",
    subcommands = {AnimalsCommand.ListAnimals.class, AnimalsCommand.Get.class,
        AnimalsCommand.Patch.class, AnimalsCommand.Delete.class})
final class AnimalsCommand {
  /** The server's largest page: fewest requests for a whole list. */
  private static final int PAGE = 1000;
  static final String ID = "The animal's id; one that starts with '-' goes after --"
      + " (farm animals get -- -q4x...).";

  /** {@code farm animals list [--max N]}: a table, or a JSON array. */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List the animals, oldest first: id, name, species, picture size and type.")
  static final class ListAnimals implements Callable<Integer> {
    @Option(names = "--max", paramLabel = "N",
        description = "List at most N animals (default: all of them, page by page).")
    Integer max;

    @Mixin ConnectionOptions connection;
    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (max != null && max < 1) {
        throw new ParameterException(spec.commandLine(), "--max must be at least 1");
      }
      Farm farm = connection.farm(output);
      List<JsonNode> found = new ArrayList<>();
      boolean more = false;
      String token = null;
      do {
        int page = max == null ? PAGE : Math.min(max - found.size(), PAGE);
        // The server's JSON as it sent it: --json prints the API's own shape.
        JsonNode list = farm.animals().prepareList(page, token).parser(json -> json).build()
            .execute();
        list.path("items").forEach(found::add);
        token = list.path("nextPageToken").isTextual() ? list.get("nextPageToken").asText() : null;
        more = token != null && max != null && found.size() >= max;
      } while (token != null && !more);
      if (output.json) {
        ArrayNode items = JsonOutput.array();
        items.addAll(found);
        JsonOutput.print(items, System.out);
      } else if (found.isEmpty()) {
        System.err.println("No animals on this farm yet.");
      } else {
        List<Animal> animals = new ArrayList<>();
        for (JsonNode a : found) {
          animals.add(farm.client().json().treeToValue(a, Animal.class));
        }
        AnimalText.table(animals, System.out);
      }
      if (more && !output.quiet) {
        System.err.println("Showed the first " + found.size() + " animals; there are more"
            + " (raise --max, or drop it to list them all)");
      }
      return ExitCodes.OK;
    }
  }

  /** {@code farm animals get ID}. */
  @Command(name = "get", mixinStandardHelpOptions = true, description = "Show one animal.")
  static final class Get implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = ID)
    String id;

    @Mixin ConnectionOptions connection;
    @Mixin OutputOptions output;

    @Override
    public Integer call() throws Exception {
      Farm farm = connection.farm(output);
      show(farm, farm.animals().prepareGet(id).parser(json -> json).build().execute(), output);
      return ExitCodes.OK;
    }
  }

  /** {@code farm animals patch ID [--name N] [--species S]}: changes what is given. */
  @Command(name = "patch", mixinStandardHelpOptions = true,
      description = "Change an animal's name or species (the other fields stay) and show it.")
  static final class Patch implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = ID)
    String id;

    @Option(names = "--name", paramLabel = "NAME", description = "The new name.")
    String name;

    @Option(names = "--species", paramLabel = "SPECIES", description = "The new species.")
    String species;

    @Mixin ConnectionOptions connection;
    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (name == null && species == null) {
        throw new ParameterException(spec.commandLine(),
            "nothing to change: give --name, --species or both");
      }
      Animal changes = new Animal(name).withSpecies(species);
      Farm farm = connection.farm(output);
      show(farm, farm.animals().preparePatch(id, changes).parser(json -> json).build().execute(),
          output);
      return ExitCodes.OK;
    }
  }

  /** {@code farm animals delete ID}: the animal and its picture. */
  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Delete an animal and its picture.")
  static final class Delete implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = ID)
    String id;

    @Mixin ConnectionOptions connection;
    @Mixin OutputOptions output;

    @Override
    public Integer call() throws Exception {
      connection.farm(output).animals().delete(id).execute();
      if (output.json) {
        JsonOutput.print(JsonOutput.object().put("id", id).put("deleted", true), System.out);
      } else {
        System.out.println("Deleted " + id);
      }
      return ExitCodes.OK;
    }
  }

  /** One animal: the server's JSON as it sent it (--json), or its fields as text. */
  private static void show(Farm farm, JsonNode animal, OutputOptions output) throws IOException {
    if (output.json) {
      JsonOutput.print(animal, System.out);
    } else {
      AnimalText.details(farm.client().json().treeToValue(animal, Animal.class), System.out);
    }
  }
}
