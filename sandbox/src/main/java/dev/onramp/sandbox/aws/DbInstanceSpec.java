package dev.onramp.sandbox.aws;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.onramp.sandbox.aws.rds.EngineFamily;
import java.util.ArrayList;
import java.util.List;

/**
 * A DB instance to create when the emulator starts (if the state directory does not already hold
 * it). From Java use {@link #builder(String)}; in a config file the same fields by name.
 *
 * @param id the DBInstanceIdentifier
 * @param engineVersion e.g. {@code 16.15}; the family is {@code postgres<major>}
 * @param instanceClass e.g. {@code db.t4g.micro} (reported only)
 * @param parameterGroup the initial DB parameter group, default {@code default.postgres<major>}
 * @param securityGroups names of VPC security groups to create (if missing) and attach; default one
 *     named {@code <id>-sg}
 * @param publiclyAccessible reported as PubliclyAccessible
 * @param preferredMaintenanceWindow e.g. {@code sun:05:00-sun:06:00}
 * @param dbName the initial database (DBName)
 * @param masterUsername the master user (not a superuser; member of rds_superuser)
 * @param masterPassword the master password; null means generated, as with RDS-managed passwords
 *     (it is stored in a Secrets Manager secret either way)
 * @param port a fixed port, or 0 for a free one (kept across restarts)
 * @param seedSql statements run once as the master user in {@code dbName} after creation
 * @param allTablesPublication whether the master user may {@code CREATE PUBLICATION ... FOR ALL
 *     TABLES}, as on RDS (default false: stock PostgreSQL refuses it to a non-superuser; true gives
 *     the master user the SUPERUSER attribute, hidden from {@code pg_roles}, see sandbox/README.md)
 * @param allocatedStorage AllocatedStorage in GiB (default 20, RDS's smallest gp3 volume)
 * @param engine {@code postgres} (default) or, describable only (no server behind it), {@code
 *     mysql}; Aurora instances are made with their cluster ({@link DbClusterSpec})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DbInstanceSpec(
    String id,
    String engineVersion,
    String instanceClass,
    String parameterGroup,
    List<String> securityGroups,
    Boolean publiclyAccessible,
    String preferredMaintenanceWindow,
    String dbName,
    String masterUsername,
    String masterPassword,
    Integer port,
    List<String> seedSql,
    Boolean allTablesPublication,
    Integer allocatedStorage,
    String engine) {

  /** A spec as written before AllocatedStorage could be chosen (20 GiB). */
  public DbInstanceSpec(
      String id,
      String engineVersion,
      String instanceClass,
      String parameterGroup,
      List<String> securityGroups,
      Boolean publiclyAccessible,
      String preferredMaintenanceWindow,
      String dbName,
      String masterUsername,
      String masterPassword,
      Integer port,
      List<String> seedSql,
      Boolean allTablesPublication) {
    this(
        id,
        engineVersion,
        instanceClass,
        parameterGroup,
        securityGroups,
        publiclyAccessible,
        preferredMaintenanceWindow,
        dbName,
        masterUsername,
        masterPassword,
        port,
        seedSql,
        allTablesPublication,
        null,
        null);
  }

  public static final String DEFAULT_ENGINE_VERSION = "16.15";

  /** The spec with every unset field given its default. */
  public DbInstanceSpec withDefaults() {
    String eng = engine != null ? engine : "postgres";
    String version = engineVersion != null ? engineVersion : EngineFamily.defaultVersion(eng);
    return new DbInstanceSpec(
        id,
        version,
        instanceClass != null ? instanceClass : "db.t4g.micro",
        parameterGroup != null ? parameterGroup : "default." + EngineFamily.of(eng, version),
        securityGroups != null && !securityGroups.isEmpty()
            ? List.copyOf(securityGroups)
            : List.of(id + "-sg"),
        publiclyAccessible != null ? publiclyAccessible : Boolean.FALSE,
        preferredMaintenanceWindow != null ? preferredMaintenanceWindow : "sun:05:00-sun:06:00",
        dbName != null ? dbName : "postgres",
        masterUsername != null ? masterUsername : "postgres",
        masterPassword,
        port != null ? port : 0,
        seedSql != null ? List.copyOf(seedSql) : List.of(),
        allTablesPublication != null ? allTablesPublication : Boolean.FALSE,
        allocatedStorage != null ? allocatedStorage : 20,
        eng);
  }

  public static Builder builder(String id) {
    return new Builder(id);
  }

  /** Builds a {@link DbInstanceSpec}; unset fields take the defaults of {@link #withDefaults()}. */
  public static final class Builder {
    private final String id;
    private String engineVersion;
    private String instanceClass;
    private String parameterGroup;
    private final List<String> securityGroups = new ArrayList<>();
    private Boolean publiclyAccessible;
    private String maintenanceWindow;
    private String dbName;
    private String masterUsername;
    private String masterPassword;
    private Integer port;
    private final List<String> seedSql = new ArrayList<>();
    private Boolean allTablesPublication;
    private Integer allocatedStorage;
    private String engine;

    private Builder(String id) {
      this.id = id;
    }

    public Builder engineVersion(String v) {
      this.engineVersion = v;
      return this;
    }

    public Builder instanceClass(String v) {
      this.instanceClass = v;
      return this;
    }

    public Builder parameterGroup(String v) {
      this.parameterGroup = v;
      return this;
    }

    public Builder securityGroup(String name) {
      this.securityGroups.add(name);
      return this;
    }

    public Builder publiclyAccessible(boolean v) {
      this.publiclyAccessible = v;
      return this;
    }

    public Builder preferredMaintenanceWindow(String v) {
      this.maintenanceWindow = v;
      return this;
    }

    public Builder dbName(String v) {
      this.dbName = v;
      return this;
    }

    public Builder masterUsername(String v) {
      this.masterUsername = v;
      return this;
    }

    public Builder masterPassword(String v) {
      this.masterPassword = v;
      return this;
    }

    public Builder port(int v) {
      this.port = v;
      return this;
    }

    public Builder seedSql(String... statements) {
      this.seedSql.addAll(List.of(statements));
      return this;
    }

    /** The master user may create FOR ALL TABLES publications, as on RDS. */
    public Builder allTablesPublication(boolean v) {
      this.allTablesPublication = v;
      return this;
    }

    /** AllocatedStorage in GiB. */
    public Builder allocatedStorage(int gib) {
      this.allocatedStorage = gib;
      return this;
    }

    /** {@code postgres} (default) or {@code mysql} (describable only). */
    public Builder engine(String v) {
      this.engine = v;
      return this;
    }

    public DbInstanceSpec build() {
      return new DbInstanceSpec(
          id,
          engineVersion,
          instanceClass,
          parameterGroup,
          securityGroups,
          publiclyAccessible,
          maintenanceWindow,
          dbName,
          masterUsername,
          masterPassword,
          port,
          seedSql,
          allTablesPublication,
          allocatedStorage,
          engine);
    }
  }
}
