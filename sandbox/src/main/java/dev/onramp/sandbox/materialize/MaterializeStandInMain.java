package dev.onramp.sandbox.materialize;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the Materialize stand-in in the foreground and prints how to connect. Options come from
 * system properties or environment variables:
 *
 * <ul>
 *   <li>{@code mz.stateDir} / {@code MZ_STATE_DIR} (default {@code .sandbox/materialize})
 *   <li>{@code mz.port} / {@code MZ_PORT} (default 6875, Materialize's SQL port)
 *   <li>{@code mz.user} / {@code MZ_USER}, {@code mz.password} / {@code MZ_PASSWORD}
 *   <li>{@code mz.ssl} / {@code MZ_SSL} (true/false)
 *   <li>{@code mz.syntax} / {@code MZ_SYNTAX} ({@code LEGACY_SUBSOURCES} or {@code
 *       TABLES_FROM_SOURCE})
 *   <li>{@code mz.egressCidrs} / {@code MZ_EGRESS_CIDRS} (comma separated)
 * </ul>
 */
public final class MaterializeStandInMain {

  private MaterializeStandInMain() {}

  public static void main(String[] args) throws Exception {
    MaterializeStandIn.Builder b =
        MaterializeStandIn.builder()
            .stateDir(Path.of(option("mz.stateDir", "MZ_STATE_DIR", ".sandbox/materialize")))
            .port(Integer.parseInt(option("mz.port", "MZ_PORT", "6875")))
            .user(option("mz.user", "MZ_USER", "materialize_admin"))
            .ssl(Boolean.parseBoolean(option("mz.ssl", "MZ_SSL", "false")))
            .syntax(SyntaxGeneration.valueOf(option("mz.syntax", "MZ_SYNTAX", "LEGACY_SUBSOURCES")))
            .egressCidrs(
                Arrays.stream(
                        option("mz.egressCidrs", "MZ_EGRESS_CIDRS", "127.0.0.1/32").split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .toList());
    String password = option("mz.password", "MZ_PASSWORD", null);
    if (password != null) {
      b.password(password);
    }
    MaterializeStandIn mz = b.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  mz.close();
                  stopped.countDown();
                }));
    for (String line :
        List.of(
            "Materialize stand-in ("
                + mz.syntax().version()
                + ") listening on "
                + mz.host()
                + ":"
                + mz.port(),
            "  user:     " + mz.user(),
            "  password: " + mz.password(),
            "  JDBC:     " + mz.jdbcUrl(),
            "  psql:     " + mz.psqlCommand(),
            "Press Ctrl-C to stop.")) {
      System.out.println(line);
    }
    stopped.await();
  }

  private static String option(String property, String env, String fallback) {
    String v = System.getProperty(property);
    if (v == null) {
      v = System.getenv(env);
    }
    return v == null || v.isBlank() ? fallback : v;
  }
}
