package dev.onramp.activities.materialize;

import dev.onramp.activities.jdbc.Sql;
import dev.onramp.workflows.OnboardingFailures;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What Materialize says about itself: version, CREATE SOURCE form, egress CIDRs. */
final class MaterializeDescription {
  private static final Pattern VERSION = Pattern.compile("v(\\d+)\\.(\\d+)\\.(\\d+)");

  private MaterializeDescription() {}

  static MaterializeInfo read(MaterializeClient client) {
    try (Connection c = client.connect()) {
      String version = Sql.single(c, "SELECT mz_version()");
      List<String> cidrs;
      try {
        cidrs = Sql.column(c, "SELECT cidr FROM mz_catalog.mz_egress_ips ORDER BY 1");
      } catch (SQLException olderCatalog) {
        cidrs = Sql.column(c, "SELECT egress_ip || '/32' FROM mz_catalog.mz_egress_ips ORDER BY 1");
      }
      return new MaterializeInfo(version, syntaxOf(version), cidrs);
    } catch (SQLException e) {
      throw MaterializeClient.failure("reading Materialize's version and egress IPs", e);
    }
  }

  /** Materialize v26 introduced CREATE TABLE ... FROM SOURCE as the way to add tables. */
  static SourceSyntax syntaxOf(String version) {
    Matcher m = VERSION.matcher(version == null ? "" : version);
    if (!m.find()) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.MATERIALIZE,
          "cannot tell Materialize's version from '" + version + "'");
    }
    return Integer.parseInt(m.group(1)) >= 26
        ? SourceSyntax.TABLES_FROM_SOURCE
        : SourceSyntax.SUBSOURCES;
  }
}
