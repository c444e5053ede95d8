package dev.onramp.sandbox.start;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.sandbox.aws.AwsEmulator;
import dev.onramp.sandbox.materialize.MaterializeStandIn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox's env file, sourced by a real shell, gives the worker and the CLI exactly the
 * settings of the running stand-ins; it is readable by its owner only; and the Materialize
 * stand-in's password survives a restart on the same state directory, so that file stays true.
 */
class SandboxEnvFileTest {
  @TempDir Path dir;

  @Test
  void aShellSourcingTheFileGetsTheRunningSandboxsSettings() throws Exception {
    try (AwsEmulator aws = AwsEmulator.builder().stateDir(dir.resolve("aws")).start();
        MaterializeStandIn mz = MaterializeStandIn.builder().stateDir(dir.resolve("mz")).start()) {
      Path file = SandboxEnvFile.write(dir, aws, mz);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      Map<String, String> sourced = source(file);
      assertThat(sourced)
          .containsEntry("ONRAMP_AWS_ENDPOINT", aws.endpoint().toString())
          .containsEntry("AWS_ACCESS_KEY_ID", "test")
          .containsEntry("AWS_REGION", aws.region())
          .containsEntry("MZ_HOST", mz.host())
          .containsEntry("MZ_PORT", String.valueOf(mz.port()))
          .containsEntry("MZ_USER", mz.user())
          .containsEntry("MZ_PASSWORD", mz.password())
          .containsEntry(
              "ONRAMP_UPSTREAM_SSLROOTCERT", aws.caCertificate().toAbsolutePath().toString());
      assertThat(Path.of(sourced.get("ONRAMP_UPSTREAM_SSLROOTCERT"))).isRegularFile();
      if (mz.ssl()) {
        assertThat(Path.of(sourced.get("MZ_SSLROOTCERT"))).isRegularFile();
      }
      // What the file says is enough to log in.
      try (Connection c =
          DriverManager.getConnection(
              mz.jdbcUrl(), sourced.get("MZ_USER"), sourced.get("MZ_PASSWORD"))) {
        assertThat(c.isValid(5)).isTrue();
      }
      SandboxEnvFile.remove(dir);
      assertThat(file).doesNotExist();
    }
  }

  @Test
  void aValueWithQuotesReachesTheShellUnchanged() throws Exception {
    Path file = dir.resolve("q.env");
    Files.writeString(file, SandboxEnvFile.render(Map.of("MZ_PASSWORD", "it's $HOME `x` \"y\"")));
    assertThat(source(file)).containsEntry("MZ_PASSWORD", "it's $HOME `x` \"y\"");
  }

  @Test
  void theStandInsPasswordSurvivesARestart() throws Exception {
    String first;
    int port;
    try (MaterializeStandIn mz = MaterializeStandIn.builder().stateDir(dir.resolve("mz")).start()) {
      first = mz.password();
      port = mz.port();
    }
    assertThat(Files.readString(dir.resolve("mz").resolve("password")).strip()).isEqualTo(first);
    try (MaterializeStandIn mz =
        MaterializeStandIn.builder().stateDir(dir.resolve("mz")).port(port).start()) {
      assertThat(mz.password()).isEqualTo(first);
      try (Connection c = DriverManager.getConnection(mz.jdbcUrl(), mz.user(), first)) {
        assertThat(c.isValid(5)).isTrue();
      }
    }
    // A fresh state directory gets a password of its own.
    try (MaterializeStandIn other =
        MaterializeStandIn.builder().stateDir(dir.resolve("mz2")).start()) {
      assertThat(other.password()).isNotEqualTo(first);
    }
  }

  /** The variables a bash that sources {@code file} exports, as the worker would inherit them. */
  static Map<String, String> source(Path file) throws Exception {
    Process p =
        new ProcessBuilder(List.of("bash", "-c", ". \"$1\" && env -0", "bash", file.toString()))
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    Map<String, String> env = new HashMap<>();
    for (String entry : out.split("\0")) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        env.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return env;
  }
}
