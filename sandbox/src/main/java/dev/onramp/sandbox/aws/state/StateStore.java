package dev.onramp.sandbox.aws.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Keeps {@link EmulatorState} in {@code state.json} under the state directory, written atomically
 * after every change so an emulator that is stopped (or killed) resumes where it was.
 */
public final class StateStore {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;

  public StateStore(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  public EmulatorState load() {
    Path file = dir.resolve("state.json");
    if (!Files.exists(file)) {
      return new EmulatorState();
    }
    try {
      return MAPPER.readValue(file.toFile(), EmulatorState.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  public synchronized void save(EmulatorState state) {
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve("state.json.tmp");
      MAPPER.writeValue(tmp.toFile(), state);
      Files.move(
          tmp,
          dir.resolve("state.json"),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
