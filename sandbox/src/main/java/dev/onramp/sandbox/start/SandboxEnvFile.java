package dev.onramp.sandbox.start;

import dev.onramp.sandbox.aws.AwsEmulator;
import dev.onramp.sandbox.materialize.MaterializeStandIn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The environment a worker (config/sandbox.yml) and the CLI need to use a running sandbox, as a
 * file a shell sources ({@code . .onramp/sandbox/onramp.env}): the AWS endpoint and credentials the
 * emulator accepts, the Materialize stand-in's address, user and password, and the CA files both
 * are verified against. It holds the stand-in's password, so only its owner may read it; it is
 * written whole (a temporary file moved into place), so a reader never sees half of it.
 */
public final class SandboxEnvFile {
  public static final String FILE_NAME = "onramp.env";

  private SandboxEnvFile() {}

  /** The variables, in the order the file lists them. */
  public static Map<String, String> variables(AwsEmulator aws, MaterializeStandIn mz) {
    Map<String, String> v = new LinkedHashMap<>();
    // The emulator takes any static credentials; the worker's AWS SDK needs some to sign with.
    v.put("AWS_ACCESS_KEY_ID", "test");
    v.put("AWS_SECRET_ACCESS_KEY", "test");
    v.put("AWS_REGION", aws.region());
    v.put("AWS_DEFAULT_REGION", aws.region());
    v.put("ONRAMP_AWS_ENDPOINT", aws.endpoint().toString());
    v.put("ONRAMP_UPSTREAM_SSLMODE", "verify-full");
    v.put("ONRAMP_UPSTREAM_SSLROOTCERT", aws.caCertificate().toAbsolutePath().toString());
    v.put("MZ_HOST", mz.host());
    v.put("MZ_PORT", String.valueOf(mz.port()));
    v.put("MZ_USER", mz.user());
    v.put("MZ_PASSWORD", mz.password());
    v.put("MZ_SSLMODE", mz.ssl() ? "verify-full" : "disable");
    v.put(
        "MZ_SSLROOTCERT",
        mz.ssl() && mz.caCertificate() != null
            ? mz.caCertificate().toAbsolutePath().toString()
            : "");
    return v;
  }

  /** Writes {@link #FILE_NAME} in {@code dir}, readable by its owner only; returns its path. */
  public static Path write(Path dir, AwsEmulator aws, MaterializeStandIn mz) throws IOException {
    return write(dir, aws, mz, Map.of());
  }

  /** With {@code extra} variables after the stand-ins' (TEMPORAL_ADDRESS of a dev server). */
  public static Path write(
      Path dir, AwsEmulator aws, MaterializeStandIn mz, Map<String, String> extra)
      throws IOException {
    Map<String, String> all = new LinkedHashMap<>(variables(aws, mz));
    all.putAll(extra);
    Files.createDirectories(dir);
    Path file = dir.resolve(FILE_NAME);
    Path tmp = dir.resolve(FILE_NAME + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, render(all), StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return file;
  }

  /** Removes a file an earlier run left, so no one reads settings of servers that are gone. */
  public static void remove(Path dir) throws IOException {
    Files.deleteIfExists(dir.resolve(FILE_NAME));
  }

  static String render(Map<String, String> variables) {
    return "# The onramp sandbox's settings for the worker (config/sandbox.yml) and the CLI.\n"
        + "#   . "
        + FILE_NAME
        + "    (written by `onramp sandbox` once it is ready; local use only: it holds a password)\n"
        + variables.entrySet().stream()
            .map(e -> "export " + e.getKey() + "=" + shellQuote(e.getValue()))
            .collect(Collectors.joining("\n"))
        + "\n";
  }

  /** Single quotes, with each ' written as '\'' : the value reaches the shell unchanged. */
  static String shellQuote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }
}
