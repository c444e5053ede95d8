package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Checks that every object the seed procedure lists exists, once, upstream, in AWS and in
 * Materialize.
 */
final class Seed {
  private Seed() {}

  static List<String> queryStrings(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        List<String> out = new ArrayList<>();
        while (rs.next()) {
          out.add(rs.getString(1));
        }
        return out;
      }
    }
  }

  static void assertOnboarded(E2eEnvironment env, List<String> mzRelations) throws Exception {
    try (Connection up = env.upstreamAsMaster()) {
      assertThat(
              queryStrings(
                  up, "SELECT setting FROM pg_settings WHERE name = 'rds.logical_replication'"))
          .containsExactly("on");
      assertThat(queryStrings(up, "SHOW wal_level")).containsExactly("logical");
      assertThat(queryStrings(up, "SELECT pubname FROM pg_publication"))
          .containsExactly("mz_source");
      assertThat(
              queryStrings(
                  up,
                  "SELECT schemaname || '.' || tablename FROM pg_publication_tables"
                      + " WHERE pubname = 'mz_source' ORDER BY 1"))
          .containsExactly("public.Line \"Items\"; x", "public.orders");
      assertThat(
              queryStrings(
                  up,
                  "SELECT relname FROM pg_class WHERE relreplident = 'f' AND relkind = 'r'"
                      + " AND relnamespace = 'public'::regnamespace ORDER BY 1"))
          .containsExactly("Line \"Items\"; x", "orders");
      assertThat(queryStrings(up, "SELECT rolname FROM pg_roles WHERE rolname = 'materialize'"))
          .hasSize(1);
      assertThat(
              queryStrings(
                  up, "SELECT pg_has_role('materialize', 'rds_replication', 'MEMBER')::text"))
          .containsExactly("true");
      assertThat(
              queryStrings(
                  up,
                  "SELECT has_database_privilege('materialize', current_database(), 'CONNECT')::text"
                      + " || has_schema_privilege('materialize', 'public', 'USAGE')::text"
                      + " || has_table_privilege('materialize', 'public.orders', 'SELECT')::text"
                      + " || has_table_privilege('materialize',"
                      + " '\"public\".\"Line \"\"Items\"\"; x\"', 'SELECT')::text"))
          .containsExactly("truetruetruetrue");
    }
    try (RdsClient rds =
            RdsClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(env.aws.endpoint())
                .build();
        Ec2Client ec2 =
            Ec2Client.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(env.aws.endpoint())
                .build()) {
      DBInstance db =
          rds.describeDBInstances(b -> b.dbInstanceIdentifier(E2eEnvironment.INSTANCE))
              .dbInstances()
              .get(0);
      assertThat(db.dbParameterGroups().get(0).dbParameterGroupName())
          .isEqualTo("onramp-postgres16-" + E2eEnvironment.INSTANCE);
      assertThat(db.dbParameterGroups().get(0).parameterApplyStatus()).isEqualTo("in-sync");
      assertThat(
              rds.describeDBParameterGroups().dbParameterGroups().stream()
                  .filter(g -> g.dbParameterGroupName().startsWith("onramp-")))
          .hasSize(1);
      String sg = db.vpcSecurityGroups().get(0).vpcSecurityGroupId();
      List<IpPermission> rules =
          ec2.describeSecurityGroups(b -> b.groupIds(sg)).securityGroups().get(0).ipPermissions();
      assertThat(
              rules.stream()
                  .filter(p -> db.endpoint().port().equals(p.fromPort()))
                  .flatMap(p -> p.ipRanges().stream())
                  .filter(r -> r.cidrIp().equals("127.0.0.1/32")))
          .hasSize(1);
    }
    try (Connection mz = env.materialize()) {
      assertThat(queryStrings(mz, "SELECT name FROM mz_clusters WHERE name = 'onramp_ingest'"))
          .hasSize(1);
      assertThat(queryStrings(mz, "SELECT name FROM mz_secrets WHERE name = 'shop_password'"))
          .hasSize(1);
      assertThat(queryStrings(mz, "SELECT name FROM mz_connections WHERE name = 'shop_connection'"))
          .hasSize(1);
      assertThat(
              queryStrings(
                  mz,
                  "SELECT name FROM mz_sources WHERE name = 'shop_source' AND type = 'postgres'"))
          .hasSize(1);
      assertThat(
              queryStrings(
                  mz,
                  "SELECT status FROM mz_internal.mz_source_statuses WHERE name = 'shop_source'"))
          .containsExactly("running");
      // Relations are named after their source: shop_source_orders.
      assertThat(queryStrings(mz, "SELECT count(*) FROM shop_source_orders"))
          .containsExactly("100");
      assertThat(mzRelations).isNotEmpty();
    }
  }

  /** The replication user's password, as the secret onramp stored it. */
  static String replicationPassword(E2eEnvironment env) {
    try (SecretsManagerClient sm =
        SecretsManagerClient.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(env.aws.endpoint())
            .build()) {
      String json =
          sm.getSecretValue(
                  b -> b.secretId("onramp/us-east-1/" + E2eEnvironment.INSTANCE + "/materialize"))
              .secretString();
      return json.replaceAll(".*\"password\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    }
  }
}
