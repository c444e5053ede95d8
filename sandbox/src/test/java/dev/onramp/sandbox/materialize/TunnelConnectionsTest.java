package dev.onramp.sandbox.materialize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onramp.sandbox.bastion.Bastion;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SSH TUNNEL connections through a real SSH bastion (MINA SSHD) and AWS PRIVATELINK connections
 * whose endpoint state comes from outside the stand-in.
 */
class TunnelConnectionsTest {

  @TempDir static Path dir;
  static Upstream upstream;
  static MaterializeStandIn mz;
  static Bastion bastion;
  static final List<String> allowedPrincipals = new ArrayList<>();
  static volatile boolean accepted;

  @BeforeAll
  static void start() throws Exception {
    upstream = Upstream.start(dir, true, true);
    mz =
        MaterializeStandIn.builder()
            .stateDir(dir.resolve("mz"))
            .user("materialize_admin")
            .password("admin-pw")
            .start();
    bastion = Bastion.start(dir.resolve("bastion"), "ec2-user");
    mz.usePrivateLinkEndpoints(
        (service, principal, zones) ->
            !service.equals("com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0")
                    || !allowedPrincipals.contains(principal)
                ? "pending-service-discovery"
                : accepted ? "available" : "pending-acceptance");
  }

  @AfterAll
  static void stop() throws Exception {
    if (bastion != null) {
      bastion.close();
    }
    if (mz != null) {
      mz.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void sshTunnelValidatesOnlyOnceItsKeyIsAuthorizedAndIngestsThroughTheBastion() throws Exception {
    try (Connection c = Sql.connect(mz)) {
      Sql.exec(
          c,
          "CREATE CONNECTION ssh_conn TO SSH TUNNEL (HOST '"
              + bastion.host()
              + "', PORT "
              + bastion.port()
              + ", USER 'ec2-user')");
      List<String> keys =
          Sql.rows(
                  c,
                  "SELECT t.public_key_1, t.public_key_2 FROM mz_connections c JOIN"
                      + " mz_ssh_tunnel_connections t USING (id) WHERE c.name = 'ssh_conn'")
              .get(0);
      assertThat(keys.get(0))
          .matches("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5[A-Za-z0-9+/=]+ materialize");
      assertThat(keys.get(1))
          .matches("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5[A-Za-z0-9+/=]+ materialize");
      assertThat(keys.get(0)).isNotEqualTo(keys.get(1));

      assertThatThrownBy(() -> Sql.exec(c, "VALIDATE CONNECTION ssh_conn"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining(
              "failed to connect to the remote host: ec2-user@127.0.0.1: Permission denied"
                  + " (publickey)");

      bastion.authorize(keys.get(0));
      bastion.authorize(keys.get(1));
      Sql.exec(c, "VALIDATE CONNECTION ssh_conn");

      Sql.exec(c, "CREATE SECRET ssh_pgpass AS '" + Upstream.PASSWORD + "'");
      Sql.exec(
          c,
          "CREATE CONNECTION ssh_pg TO POSTGRES (HOST '127.0.0.1', PORT "
              + upstream.port()
              + ", USER 'materialize', PASSWORD SECRET ssh_pgpass, SSL MODE 'require',"
              + " DATABASE 'shop', SSH TUNNEL ssh_conn)");
      Sql.exec(
          c,
          "CREATE SOURCE ssh_source FROM POSTGRES CONNECTION ssh_pg (PUBLICATION 'mz_source')"
              + " FOR TABLES (orders AS ssh_orders)");
      Sql.await(
          "rows through the tunnel",
          Duration.ofSeconds(30),
          () -> "2".equals(Sql.value(c, "SELECT count(*) FROM ssh_orders")));
      assertThat(bastion.activeSessions()).isPositive();

      Sql.exec(c, "DROP SOURCE ssh_source CASCADE");
      Sql.exec(c, "DROP CONNECTION ssh_pg");
      Sql.exec(c, "DROP CONNECTION ssh_conn");
    }
  }

  @Test
  void sshTunnelToAHostThatDoesNotResolveFailsValidationWithSshsWords() throws Exception {
    try (Connection c = Sql.connect(mz)) {
      Sql.exec(
          c,
          "CREATE CONNECTION ssh_nowhere TO SSH TUNNEL (HOST 'bastion.invalid', USER 'ec2-user')");
      assertThatThrownBy(() -> Sql.exec(c, "VALIDATE CONNECTION ssh_nowhere"))
          .hasMessageContaining(
              "failed to connect to the remote host: ssh: Could not resolve hostname"
                  + " bastion.invalid");
      Sql.exec(c, "DROP CONNECTION ssh_nowhere");
    }
  }

  @Test
  void privatelinkHasAPrincipalAndValidatesOnceAllowedAndAccepted() throws Exception {
    try (Connection c = Sql.connect(mz)) {
      assertThatThrownBy(
              () ->
                  Sql.exec(
                      c,
                      "CREATE CONNECTION pl_bad TO AWS PRIVATELINK (SERVICE NAME 'vpce-svc-1',"
                          + " AVAILABILITY ZONES ('use1-az1'))"))
          .hasMessageContaining("invalid AWS PrivateLink SERVICE NAME");
      Sql.exec(
          c,
          "CREATE CONNECTION pl_conn TO AWS PRIVATELINK (SERVICE NAME"
              + " 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0', AVAILABILITY ZONES"
              + " ('use1-az1', 'use1-az4'))");
      List<String> row =
          Sql.rows(
                  c,
                  "SELECT c.id, p.principal, c.type FROM mz_connections c JOIN"
                      + " mz_aws_privatelink_connections p USING (id) WHERE c.name = 'pl_conn'")
              .get(0);
      String principal = row.get(1);
      assertThat(principal)
          .matches("arn:aws:iam::664411391173:role/mz_[0-9a-f-]{36}_" + row.get(0));
      assertThat(row.get(2)).isEqualTo("aws-privatelink");

      assertThatThrownBy(() -> Sql.exec(c, "VALIDATE CONNECTION pl_conn"))
          .hasMessageContaining("is pending-service-discovery");
      allowedPrincipals.add(principal);
      assertThatThrownBy(() -> Sql.exec(c, "VALIDATE CONNECTION pl_conn"))
          .hasMessageContaining("is pending-acceptance");
      accepted = true;
      Sql.exec(c, "VALIDATE CONNECTION pl_conn");

      Sql.exec(c, "CREATE SECRET pl_pgpass AS '" + Upstream.PASSWORD + "'");
      Sql.exec(
          c,
          "CREATE CONNECTION pl_pg TO POSTGRES (HOST '127.0.0.1', PORT "
              + upstream.port()
              + ", USER 'materialize', PASSWORD SECRET pl_pgpass, SSL MODE 'require',"
              + " DATABASE 'shop', AWS PRIVATELINK pl_conn)");
      Sql.exec(c, "DROP CONNECTION pl_pg");
      Sql.exec(c, "DROP CONNECTION pl_conn");
    }
  }
}
