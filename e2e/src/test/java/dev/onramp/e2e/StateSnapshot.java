package dev.onramp.e2e;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * Readings of the state onramp changes, as sorted lines, for tests that compare a before and an
 * after (planning changes nothing; offboarding puts everything back).
 */
final class StateSnapshot {
  private StateSnapshot() {}

  /** Each publication with FOR ALL TABLES and its tables. */
  static final String PUBLICATIONS =
      "SELECT p.pubname || ' all=' || p.puballtables || ' ' || coalesce(string_agg("
          + "t.schemaname || '.' || t.tablename, ',' ORDER BY t.schemaname, t.tablename), '')"
          + " FROM pg_publication p LEFT JOIN pg_publication_tables t USING (pubname)"
          + " GROUP BY p.pubname, p.puballtables ORDER BY 1";

  static final String MEMBERSHIPS =
      "SELECT m.rolname || ' in ' || r.rolname FROM pg_auth_members a"
          + " JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member"
          + " ORDER BY 1";

  static final String REPLICA_IDENTITIES =
      "SELECT n.nspname || '.' || c.relname || '=' || c.relreplident::text FROM pg_class c"
          + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r'"
          + " AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1";

  static final String REPLICATION_SLOTS = "SELECT slot_name FROM pg_replication_slots ORDER BY 1";

  /** The first column of {@code sql} run on the upstream database as its master user. */
  static List<String> upstream(E2eEnvironment env, String sql) throws SQLException {
    try (Connection up = env.upstreamAsMaster()) {
      return Seed.queryStrings(up, sql);
    }
  }

  /** Every cluster, secret, connection, source and table in Materialize. */
  static List<String> materializeCatalog(E2eEnvironment env) throws SQLException {
    try (Connection mz = env.materialize()) {
      return Seed.queryStrings(
          mz,
          "SELECT kind || ' ' || name FROM ("
              + " SELECT 'cluster' AS kind, name FROM mz_clusters"
              + " UNION ALL SELECT 'secret', name FROM mz_secrets"
              + " UNION ALL SELECT 'connection', name FROM mz_connections"
              + " UNION ALL SELECT 'source', name FROM mz_sources"
              + " UNION ALL SELECT 'table', name FROM mz_tables) o ORDER BY 1");
    }
  }

  /** The ingress rules of the instance's security groups. */
  static List<String> securityGroupRules(E2eEnvironment env) {
    try (Ec2Client ec2 =
        Ec2Client.builder().region(Region.US_EAST_1).endpointOverride(env.aws.endpoint()).build()) {
      List<String> rules = new ArrayList<>();
      for (String sg :
          dbInstance(env).vpcSecurityGroups().stream().map(g -> g.vpcSecurityGroupId()).toList()) {
        ec2.describeSecurityGroups(b -> b.groupIds(sg))
            .securityGroups()
            .get(0)
            .ipPermissions()
            .forEach(
                p ->
                    p.ipRanges()
                        .forEach(
                            r ->
                                rules.add(
                                    sg
                                        + " "
                                        + p.ipProtocol()
                                        + "/"
                                        + p.fromPort()
                                        + "-"
                                        + p.toPort()
                                        + " from "
                                        + r.cidrIp())));
      }
      rules.sort(null);
      return rules;
    }
  }

  /** The test instance as DescribeDBInstances shows it. */
  static DBInstance dbInstance(E2eEnvironment env) {
    try (RdsClient rds =
        RdsClient.builder().region(Region.US_EAST_1).endpointOverride(env.aws.endpoint()).build()) {
      return rds.describeDBInstances(b -> b.dbInstanceIdentifier(E2eEnvironment.INSTANCE))
          .dbInstances()
          .get(0);
    }
  }
}
