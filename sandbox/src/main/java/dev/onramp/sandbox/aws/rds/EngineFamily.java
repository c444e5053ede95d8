package dev.onramp.sandbox.aws.rds;

import java.util.Set;

/**
 * The parameter group family of an engine version, as DescribeDBEngineVersions reports it: {@code
 * postgres16} for PostgreSQL 16.x, {@code aurora-postgresql16} for Aurora PostgreSQL 16.x, {@code
 * mysql8.0} and {@code aurora-mysql8.0} for the MySQL engines (whose families carry major.minor).
 */
public final class EngineFamily {
  /** The engines the emulator can describe; only the PostgreSQL ones have servers behind them. */
  public static final Set<String> ENGINES =
      Set.of("postgres", "aurora-postgresql", "mysql", "aurora-mysql");

  private EngineFamily() {}

  public static String of(String engine, String version) {
    String[] parts = version.split("\\.");
    if (engine.endsWith("mysql")) {
      return engine + parts[0] + "." + (parts.length > 1 ? parts[1] : "0");
    }
    return engine + parts[0];
  }

  /** Whether an instance of this engine is backed by a real PostgreSQL server. */
  public static boolean isPostgres(String engine) {
    return engine.equals("postgres") || engine.equals("aurora-postgresql");
  }

  /** The version an instance or cluster gets when its spec names none. */
  public static String defaultVersion(String engine) {
    return switch (engine) {
      case "aurora-postgresql" -> "16.6";
      case "mysql" -> "8.0.40";
      case "aurora-mysql" -> "8.0.mysql_aurora.3.08.0";
      default -> dev.onramp.sandbox.aws.DbInstanceSpec.DEFAULT_ENGINE_VERSION;
    };
  }
}
