package dev.farmapi.cli;

import dev.farmapi.farm.Animal;
import dev.farmapi.farm.Animals;
import java.io.UncheckedIOException;
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
      Animals animals = connection.farm(output).animals();
      List<Animal> found = new ArrayList<>();
      try {
        for (Animal a : animals.all(max == null ? PAGE : Math.min(max, PAGE))) {
          found.add(a);
          if (max != null && found.size() == max) {
            break;
          }
        }
      } catch (UncheckedIOException e) {
        throw e.getCause(); // the iteration's request failed: its own error, its own exit code
      }
      if (output.json) {
        JsonOutput.print(found, System.out);
      } else if (found.isEmpty()) {
        System.err.println("No animals on this farm yet.");
      } else {
        AnimalText.table(found, System.out);
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
      show(connection.farm(output).animals().get(id).execute(), output);
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
      show(connection.farm(output).animals().patch(id, changes).execute(), output);
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

  private static void show(Animal animal, OutputOptions output) {
    if (output.json) {
      JsonOutput.print(animal, System.out);
    } else {
      AnimalText.details(animal, System.out);
    }
  }
}
