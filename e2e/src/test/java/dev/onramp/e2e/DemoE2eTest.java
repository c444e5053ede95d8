package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, exactly as a user runs it: ./onramp demo. */
class DemoE2eTest {
  @TempDir Path dir;

  @Test
  void onrampDemoRunsAWholeOnboardingAndStreamsARow() throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    Path out = dir.resolve("demo.out");
    Process p =
        new ProcessBuilder("bash", root.resolve("onramp").toString(), "demo")
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    boolean ended = p.waitFor(5, TimeUnit.MINUTES);
    if (!ended) {
      p.destroyForcibly();
    }
    String text = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(ended).as(text).isTrue();
    assertThat(p.exitValue()).as(text).isZero();
    assertThat(text)
        .contains("starting Temporal ... Temporal dev server")
        .contains("✔ DONE       Reboot and wait for Available")
        .contains("✔ DONE       Wait for the initial snapshot")
        .contains("orders: 500 rows")
        .contains("customers: 50 rows")
        .contains("onramp's ledger (created, changed and reused):")
        .contains("  created publication mz_source")
        .containsPattern("  changed parameter group association demo-db \\(was default\\.postgres")
        .containsPattern("arrived in Materialize after \\d+ ms");
  }
}
