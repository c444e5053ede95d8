package dev.onramp.sandbox.aws;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.onramp.sandbox.aws.rds.EngineFamily;
import java.util.ArrayList;
import java.util.List;

/**
 * An Aurora DB cluster to create when the emulator starts (unless the state already has it): the
 * cluster, its writer instance and its reader instances. For {@code aurora-postgresql} the writer
 * is a real PostgreSQL server, as an RDS instance is; readers (and every {@code aurora-mysql}
 * member) are described only. From Java use {@link #builder(String)}; in a config file the same
 * fields.
 *
 * @param id the DBClusterIdentifier
 * @param engine {@code aurora-postgresql} (default) or {@code aurora-mysql}
 * @param engineVersion e.g. {@code 16.6}; the family is {@code aurora-postgresql<major>}
 * @param writer the writer's DBInstanceIdentifier, default {@code <id>-instance-1}
 * @param readers the readers' DBInstanceIdentifiers, default none
 * @param clusterParameterGroup the DB cluster parameter group, default {@code default.<family>}
 * @param securityGroups names of VPC security groups to create (if missing) and attach; default one
 *     named {@code <id>-sg}
 * @param publiclyAccessible reported on the instances as PubliclyAccessible
 * @param dbName the initial database (DatabaseName)
 * @param masterUsername the master user (not a superuser; member of rds_superuser)
 * @param masterPassword null means generated; stored in the cluster's RDS-managed secret
 * @param seedSql statements run once as the master user in {@code dbName} on the writer
 * @param allTablesPublication as {@link DbInstanceSpec#allTablesPublication()}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DbClusterSpec(
    String id,
    String engine,
    String engineVersion,
    String writer,
    List<String> readers,
    String clusterParameterGroup,
    List<String> securityGroups,
    Boolean publiclyAccessible,
    String dbName,
    String masterUsername,
    String masterPassword,
    List<String> seedSql,
    Boolean allTablesPublication) {

  /** The spec with every unset field given its default. */
  public DbClusterSpec withDefaults() {
    String eng = engine != null ? engine : "aurora-postgresql";
    String version = engineVersion != null ? engineVersion : EngineFamily.defaultVersion(eng);
    return new DbClusterSpec(
        id,
        eng,
        version,
        writer != null ? writer : id + "-instance-1",
        readers != null ? List.copyOf(readers) : List.of(),
        clusterParameterGroup != null
            ? clusterParameterGroup
            : "default." + EngineFamily.of(eng, version),
        securityGroups != null && !securityGroups.isEmpty()
            ? List.copyOf(securityGroups)
            : List.of(id + "-sg"),
        publiclyAccessible != null ? publiclyAccessible : Boolean.FALSE,
        dbName != null ? dbName : "postgres",
        masterUsername != null ? masterUsername : "postgres",
        masterPassword,
        seedSql != null ? List.copyOf(seedSql) : List.of(),
        allTablesPublication != null ? allTablesPublication : Boolean.FALSE);
  }

  /** The spec of one member instance, as the cluster makes it. */
  public DbInstanceSpec member(String instanceId) {
    DbClusterSpec c = withDefaults();
    DbInstanceSpec.Builder b =
        DbInstanceSpec.builder(instanceId)
            .engine(c.engine())
            .engineVersion(c.engineVersion())
            .instanceClass("db.r6g.large")
            .publiclyAccessible(c.publiclyAccessible())
            .dbName(c.dbName())
            .masterUsername(c.masterUsername())
            .allTablesPublication(c.allTablesPublication());
    c.securityGroups().forEach(b::securityGroup);
    if (c.masterPassword() != null) {
      b.masterPassword(c.masterPassword());
    }
    if (instanceId.equals(c.writer())) {
      b.seedSql(c.seedSql().toArray(String[]::new));
    }
    return b.build();
  }

  public static Builder builder(String id) {
    return new Builder(id);
  }

  /** Builds a {@link DbClusterSpec}; unset fields take the defaults of {@link #withDefaults()}. */
  public static final class Builder {
    private final String id;
    private String engine;
    private String engineVersion;
    private String writer;
    private final List<String> readers = new ArrayList<>();
    private String clusterParameterGroup;
    private final List<String> securityGroups = new ArrayList<>();
    private Boolean publiclyAccessible;
    private String dbName;
    private String masterUsername;
    private String masterPassword;
    private final List<String> seedSql = new ArrayList<>();
    private Boolean allTablesPublication;

    private Builder(String id) {
      this.id = id;
    }

    public Builder engine(String v) {
      this.engine = v;
      return this;
    }

    public Builder engineVersion(String v) {
      this.engineVersion = v;
      return this;
    }

    public Builder writer(String v) {
      this.writer = v;
      return this;
    }

    public Builder reader(String v) {
      this.readers.add(v);
      return this;
    }

    public Builder clusterParameterGroup(String v) {
      this.clusterParameterGroup = v;
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

    public Builder seedSql(String... statements) {
      this.seedSql.addAll(List.of(statements));
      return this;
    }

    public Builder allTablesPublication(boolean v) {
      this.allTablesPublication = v;
      return this;
    }

    public DbClusterSpec build() {
      return new DbClusterSpec(
          id,
          engine,
          engineVersion,
          writer,
          readers,
          clusterParameterGroup,
          securityGroups,
          publiclyAccessible,
          dbName,
          masterUsername,
          masterPassword,
          seedSql,
          allTablesPublication);
    }
  }
}
