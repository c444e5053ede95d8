package dev.onramp.activities.materialize;

import dev.onramp.activities.jdbc.Sql;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.activities.network.TunnelConnection;
import dev.onramp.activities.network.TunnelSpec;
import dev.onramp.workflows.SqlIdentifiers;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSH TUNNEL or AWS PRIVATELINK connection of network modes SSH_BASTION and
 * PRIVATELINK_SERVICE. Created as the seed's networking section does (MZ docs, CREATE CONNECTION;
 * shared/reference/materialize.md), marked as onramp's, reused when onramp's own has the same
 * definition. Its ledger entry is an {@code MZ_CONNECTION} without definition attributes:
 * offboarding drops it after the PostgreSQL connection that uses it (the ledger is walked
 * backwards), and only if it is still onramp's.
 */
final class TunnelConnectionResource {
  private static final Logger log = LoggerFactory.getLogger(TunnelConnectionResource.class);

  TunnelConnection converge(Connection c, TunnelSpec spec) throws SQLException {
    String name = spec.name();
    LedgerEntry entry;
    String[] existing = existing(c, name);
    if (existing != null) {
      MzOwnership.refuseForeignUnlessOurs(c, MzKind.CONNECTION, name, "use it as the tunnel");
      String problem = difference(spec, existing[0], existing[1]);
      if (problem != null) {
        throw MaterializeClient.conflict(problem);
      }
      entry = LedgerEntry.reused(ResourceKind.MZ_CONNECTION, name);
    } else {
      try {
        Sql.exec(c, createStatement(spec));
        MzOwnership.mark(c, MzKind.CONNECTION, name);
        entry = LedgerEntry.created(ResourceKind.MZ_CONNECTION, name);
        log.info("created Materialize {} connection {}", spec.materializeType(), name);
      } catch (SQLException e) {
        if (!MaterializeClient.alreadyExists(e)) {
          throw e;
        }
        // An overlapping attempt created it meanwhile.
        MzOwnership.refuseForeignUnlessOurs(c, MzKind.CONNECTION, name, "use it as the tunnel");
        entry = LedgerEntry.reused(ResourceKind.MZ_CONNECTION, name);
      }
    }
    if (spec.overSsh()) {
      List<String> keys =
          Sql.column(
              c,
              "SELECT t.public_key_1 || chr(10) || t.public_key_2 FROM"
                  + " mz_catalog.mz_ssh_tunnel_connections t JOIN mz_catalog.mz_connections cn"
                  + " ON cn.id = t.id WHERE cn.name = ?",
              name);
      String[] pair = keys.get(0).split("\n");
      return new TunnelConnection(name, pair[0], pair[1], null, entry);
    }
    String principal =
        Sql.single(
            c,
            "SELECT p.principal FROM mz_catalog.mz_aws_privatelink_connections p JOIN"
                + " mz_catalog.mz_connections cn ON cn.id = p.id WHERE cn.name = ?",
            name);
    return new TunnelConnection(name, null, null, principal, entry);
  }

  /** Materialize's statement; values as literals, the name quoted once. */
  static String createStatement(TunnelSpec spec) {
    String quoted = SqlIdentifiers.quote(spec.name());
    if (spec.overSsh()) {
      return "CREATE CONNECTION "
          + quoted
          + " TO SSH TUNNEL (HOST "
          + Sql.literal(spec.sshHost())
          + ", PORT "
          + spec.sshPort()
          + ", USER "
          + Sql.literal(spec.sshUser())
          + ")";
    }
    List<String> zones = new ArrayList<>();
    spec.availabilityZones().forEach(z -> zones.add(Sql.literal(z)));
    return "CREATE CONNECTION "
        + quoted
        + " TO AWS PRIVATELINK (SERVICE NAME "
        + Sql.literal(spec.serviceName())
        + ", AVAILABILITY ZONES ("
        + String.join(", ", zones)
        + "))";
  }

  /** type and create_sql of the connection named {@code name}, or null. */
  private static String[] existing(Connection c, String name) throws SQLException {
    List<String> rows =
        Sql.column(
            c,
            "SELECT type || chr(10) || create_sql FROM mz_catalog.mz_connections WHERE name = ?",
            name);
    return rows.isEmpty() ? null : rows.get(0).split("\n", 2);
  }

  /**
   * How the existing connection differs from the wanted one, as a sentence; null if it does not.
   */
  static String difference(TunnelSpec spec, String type, String createSql) {
    String quoted = SqlIdentifiers.quote(spec.name());
    if (!spec.materializeType().equals(type)) {
      return "Materialize connection "
          + quoted
          + " is a "
          + type
          + " connection, not "
          + spec.materializeType()
          + "; name another one in the request (materialize.sshTunnelConnection /"
          + " privatelinkConnection)";
    }
    Map<String, String> wanted =
        spec.overSsh()
            ? Map.of(
                "HOST",
                spec.sshHost(),
                "PORT",
                String.valueOf(spec.sshPort()),
                "USER",
                spec.sshUser())
            : Map.of("SERVICE NAME", spec.serviceName());
    List<String> differs = new ArrayList<>();
    for (var e : wanted.entrySet()) {
      String now = option(createSql, e.getKey());
      if (now != null && !now.equals(e.getValue())) {
        differs.add(e.getKey() + " is " + now + ", wanted " + e.getValue());
      }
    }
    if (differs.isEmpty()) {
      return null;
    }
    return "Materialize connection "
        + quoted
        + " exists with another definition ("
        + String.join("; ", differs)
        + "); drop it (DROP CONNECTION "
        + quoted
        + ") or name another one in the request";
  }

  private static String option(String createSql, String option) {
    Matcher m =
        Pattern.compile(
                "\\b" + option.replace(" ", "\\s+") + "\\s*=?\\s*(?:'((?:[^']|'')*)'|(\\d+))",
                Pattern.CASE_INSENSITIVE)
            .matcher(createSql);
    if (!m.find()) {
      return null;
    }
    return m.group(1) != null ? m.group(1).replace("''", "'") : m.group(2);
  }

  /** Materialize's VALIDATE CONNECTION error, and what to fix, in the tunnel's terms. */
  static String sshFix(TunnelSpec spec, String error) {
    String lower = error.toLowerCase(Locale.ROOT);
    if (lower.contains("permission denied")) {
      return "add both public keys of connection "
          + spec.name()
          + " (one per line) to ~"
          + spec.sshUser()
          + "/.ssh/authorized_keys on "
          + spec.sshHost()
          + ", then confirm again";
    }
    if (lower.contains("could not resolve") || lower.contains("name or service not known")) {
      return "the bastion host "
          + spec.sshHost()
          + " does not resolve from Materialize; fix its DNS, or offboard and onboard with the"
          + " right network.sshHost";
    }
    return "make sure the bastion "
        + spec.sshHost()
        + " accepts SSH on port "
        + spec.sshPort()
        + " from Materialize's egress IPs (SELECT * FROM mz_egress_ips) and can reach the"
        + " database, then confirm again";
  }
}
