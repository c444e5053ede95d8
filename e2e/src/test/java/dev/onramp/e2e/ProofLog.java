package dev.onramp.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * What a proof suite tried and how each case ended, one tab-separated row per case in {@code
 * e2e/target/proof/<suite>.tsv}; {@code scripts/proof-table} turns the files into README's table.
 * Each suite starts its file afresh, so the table always shows the last run of every suite.
 */
final class ProofLog {
  /** Surefire runs the e2e tests with the module as working directory. */
  static final Path DIR = Path.of("target", "proof");

  /** {@code scripts/test --full} sets it (through Maven) to run every cell. */
  static boolean full() {
    return Boolean.getBoolean("onramp.proof.full")
        || "true".equalsIgnoreCase(System.getenv("ONRAMP_PROOF_FULL"));
  }

  private final Path file;

  private ProofLog(Path file) {
    this.file = file;
  }

  /** A fresh file for {@code suite}, headed by when it ran and in which mode. */
  static ProofLog begin(String suite) {
    try {
      Files.createDirectories(DIR);
      Path file = DIR.resolve(suite + ".tsv");
      Files.writeString(
          file,
          "# " + suite + "\t" + Instant.now() + "\t" + (full() ? "full" : "core") + "\n",
          StandardCharsets.UTF_8);
      return new ProofLog(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * One case: its kind (crash, restart, fault), what was tried, how it ended, how many resources
   * exist more than once (must be 0), how many secrets were found (must be 0) and a detail.
   */
  synchronized void row(
      String kind, String tried, String outcome, int duplicated, int secrets, String detail) {
    String line =
        String.join(
                "\t",
                kind,
                clean(tried),
                clean(outcome),
                String.valueOf(duplicated),
                String.valueOf(secrets),
                clean(detail))
            + "\n";
    try {
      Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Empties a suite's working directory (kept after a run for its logs). */
  static void clean(Path dir) {
    try {
      if (Files.exists(dir)) {
        try (var files = Files.walk(dir)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String clean(String s) {
    return s == null ? "" : s.replaceAll("[\\t\\r\\n|]+", " ").trim();
  }
}
