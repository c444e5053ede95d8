package dev.onramp.e2e;

import io.temporal.client.schedules.ScheduleClient;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Counts every resource an onboarding of {@link E2eEnvironment}'s instance leaves behind, where it
 * lives (the emulator's API and event log, the upstream catalog, Materialize's catalog, Temporal's
 * schedules), so a suite can say how many exist more than once.
 */
final class ResourceCensus {
  private ResourceCensus() {}

  /** What one completed onboarding of {@code orders} and the odd table leaves: one of each. */
  static Map<String, Integer> expected() {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (String k : count(null).keySet()) {
      m.put(k, 1);
    }
    m.put("publication tables", 2);
    m.put("grants (SELECT on tables)", 2);
    return m;
  }

  static Map<String, Integer> count(E2eEnvironment env) {
    Map<String, Integer> m = new LinkedHashMap<>();
    String[] kinds = {
      "parameter groups (onramp-*)",
      "reboots (event log)",
      "association (group in-sync)",
      "security-group rules (5432 from egress)",
      "secrets (onramp/*)",
      "replication roles",
      "rds_replication grants",
      "grants (SELECT on tables)",
      "publications",
      "publication tables",
      "replication slots",
      "Materialize clusters",
      "Materialize secrets",
      "Materialize connections",
      "Materialize sources",
      "schedules"
    };
    if (env == null) {
      for (String k : kinds) {
        m.put(k, 0);
      }
      return m;
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
                .build();
        SecretsManagerClient sm =
            SecretsManagerClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(env.aws.endpoint())
                .build()) {
      m.put(
          kinds[0],
          (int)
              rds.describeDBParameterGroups().dbParameterGroups().stream()
                  .filter(g -> g.dbParameterGroupName().startsWith("onramp-"))
                  .count());
      m.put(
          kinds[1],
          (int)
              rds
                  .describeEvents(
                      b ->
                          b.sourceIdentifier(E2eEnvironment.INSTANCE)
                              .sourceType("db-instance")
                              .duration(600))
                  .events()
                  .stream()
                  .filter(e -> e.message().equals("DB instance restarted"))
                  .count());
      DBInstance db =
          rds.describeDBInstances(b -> b.dbInstanceIdentifier(E2eEnvironment.INSTANCE))
              .dbInstances()
              .get(0);
      m.put(
          kinds[2],
          (int)
              db.dbParameterGroups().stream()
                  .filter(
                      g ->
                          g.dbParameterGroupName().startsWith("onramp-")
                              && "in-sync".equals(g.parameterApplyStatus()))
                  .count());
      String sg = db.vpcSecurityGroups().get(0).vpcSecurityGroupId();
      m.put(
          kinds[3],
          (int)
              ec2
                  .describeSecurityGroups(b -> b.groupIds(sg))
                  .securityGroups()
                  .get(0)
                  .ipPermissions()
                  .stream()
                  .filter(p -> db.endpoint().port().equals(p.fromPort()))
                  .flatMap(p -> p.ipRanges().stream())
                  .filter(r -> r.cidrIp().equals("127.0.0.1/32"))
                  .count());
      m.put(
          kinds[4],
          // The emulator has no ListSecrets; onramp's secret name is derived from the target.
          secretExists(
              sm,
              "onramp/" + E2eEnvironment.REGION + "/" + E2eEnvironment.INSTANCE + "/materialize"));
    }
    try (Connection up = env.upstreamAsMaster()) {
      m.put(kinds[5], one(up, "SELECT count(*) FROM pg_roles WHERE rolname = 'materialize'"));
      m.put(
          kinds[6],
          one(
              up,
              "SELECT count(*) FROM pg_auth_members WHERE roleid = 'rds_replication'::regrole"
                  + " AND member = (SELECT oid FROM pg_roles WHERE rolname = 'materialize')"));
      m.put(
          kinds[7],
          one(
              up,
              "SELECT count(*) FROM information_schema.role_table_grants WHERE grantee ="
                  + " 'materialize' AND privilege_type = 'SELECT' AND table_schema = 'public'"));
      m.put(kinds[8], one(up, "SELECT count(*) FROM pg_publication"));
      m.put(kinds[9], one(up, "SELECT count(*) FROM pg_publication_tables"));
      m.put(kinds[10], one(up, "SELECT count(*) FROM pg_replication_slots"));
    } catch (Exception e) {
      throw new IllegalStateException("census of the upstream: " + e.getMessage(), e);
    }
    try (Connection mz = env.materialize()) {
      m.put(kinds[11], one(mz, "SELECT count(*) FROM mz_clusters WHERE name = 'onramp_ingest'"));
      m.put(kinds[12], one(mz, "SELECT count(*) FROM mz_secrets WHERE name = 'shop_password'"));
      m.put(
          kinds[13], one(mz, "SELECT count(*) FROM mz_connections WHERE name = 'shop_connection'"));
      m.put(kinds[14], one(mz, "SELECT count(*) FROM mz_sources WHERE type = 'postgres'"));
    } catch (Exception e) {
      throw new IllegalStateException("census of Materialize: " + e.getMessage(), e);
    }
    ScheduleClient schedules =
        ScheduleClient.newInstance(env.temporal.client().getWorkflowServiceStubs());
    m.put(
        kinds[15],
        (int)
            schedules
                .listSchedules()
                .filter(s -> s.getScheduleId().contains(E2eEnvironment.INSTANCE))
                .count());
    return m;
  }

  /** How many resources exist more than expected, summed over kinds. */
  static int duplicated(Map<String, Integer> actual, Map<String, Integer> expected) {
    int extra = 0;
    for (var e : expected.entrySet()) {
      extra += Math.max(0, actual.getOrDefault(e.getKey(), 0) - e.getValue());
    }
    return extra;
  }

  private static int secretExists(SecretsManagerClient sm, String name) {
    try {
      sm.describeSecret(b -> b.secretId(name));
      return 1;
    } catch (ResourceNotFoundException e) {
      return 0;
    }
  }

  private static int one(Connection c, String sql) throws Exception {
    return Integer.parseInt(Seed.queryStrings(c, sql).get(0));
  }
}
