package dev.onramp.cli.request;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.onramp.workflows.FleetRequest;
import dev.onramp.workflows.FleetValidator;
import dev.onramp.workflows.InvalidRequestException;
import dev.onramp.workflows.client.FleetDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a fleet file ({@code onramp start --fleet fleet.yaml}; see examples/fleet.yaml): every
 * database is read as a request file is (durations as {@code 30s}, secret references as text, enums
 * as the flags take them), after the file's {@code defaults} are merged in. A problem names the
 * file and the item, and nothing starts.
 */
public final class FleetFile {
  private FleetFile() {}

  public static FleetRequest read(Path file) throws RequestFile.Invalid {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new RequestFile.Invalid(file + ": no such file");
    } catch (IOException e) {
      throw new RequestFile.Invalid(file + ": cannot read (" + e.getMessage() + ")");
    }
    return parse(file.toString(), text);
  }

  public static FleetRequest parse(String name, String text) throws RequestFile.Invalid {
    JsonNode document;
    try {
      document = RequestFile.YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new RequestFile.Invalid(
          name
              + " line "
              + e.getLocation().getLineNr()
              + ": not valid YAML ("
              + e.getOriginalMessage()
              + ")");
    }
    FleetRequest fleet;
    try {
      fleet = RequestFile.YAML.treeToValue(FleetDocument.expand(document), FleetRequest.class);
    } catch (InvalidRequestException e) {
      throw invalid(name, e);
    } catch (JsonMappingException e) {
      throw new RequestFile.Invalid(RequestFile.describe(name, text, e));
    } catch (JsonProcessingException e) {
      throw new RequestFile.Invalid(name + ": " + e.getOriginalMessage());
    }
    try {
      return FleetValidator.validate(fleet);
    } catch (InvalidRequestException e) {
      throw invalid(name, e);
    }
  }

  private static RequestFile.Invalid invalid(String name, InvalidRequestException e) {
    return new RequestFile.Invalid(
        name + ": invalid fleet:\n  - " + String.join("\n  - ", e.problems()));
  }
}
