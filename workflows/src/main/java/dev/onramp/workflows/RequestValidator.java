package dev.onramp.workflows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a request before a workflow starts (the CLI, the REST API) and again as the workflow's
 * first action, so a bad request never touches AWS or a database.
 */
public final class RequestValidator {
  // RDS: 1-63 letters, digits or hyphens; first a letter; no trailing or double hyphen.
  private static final Pattern DB_INSTANCE_ID =
      Pattern.compile("[A-Za-z](?:[A-Za-z0-9]|-(?!-)){0,62}(?<!-)");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
  // A Secrets Manager name or ARN: letters, digits and /_+=.@-
  private static final Pattern SECRET_ID = Pattern.compile("[A-Za-z0-9/_+=.@:-]{1,2048}");
  private static final Pattern CLUSTER_SIZE = Pattern.compile("[A-Za-z0-9_-]{1,32}");
  private static final List<String> SSL_MODES =
      List.of("disable", "require", "verify_ca", "verify_full");

  /**
   * More names than this in one request is refused: every name becomes part of one CREATE
   * PUBLICATION and one CREATE SOURCE statement, and a list this long is better written as SCHEMAS
   * or ALL_TABLES.
   */
  public static final int MAX_TABLE_NAMES = 5000;

  private RequestValidator() {}

  /** Throws {@link InvalidRequestException} naming every bad field; returns the request. */
  public static OnboardingRequest validate(OnboardingRequest request) {
    List<String> problems = problems(request);
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(problems);
    }
    return request;
  }

  public static List<String> problems(OnboardingRequest r) {
    List<String> p = new ArrayList<>();
    if (r == null) {
      return List.of("request: is missing");
    }
    // Control characters and NUL first, in every string field: later checks echo the value.
    List<String> control = controlCharacters(r);
    if (!control.isEmpty()) {
      return control;
    }
    if (blank(r.region())) {
      p.add("region: is empty; give an AWS region such as us-east-1");
    } else if (!REGION.matcher(r.region()).matches()) {
      p.add(
          "region: '"
              + SqlIdentifiers.printable(r.region())
              + "' is not an AWS region name such as us-east-1");
    }
    if (blank(r.dbInstanceId())) {
      p.add("dbInstanceId: is empty; give the RDS DB instance identifier");
    } else if (!DB_INSTANCE_ID.matcher(r.dbInstanceId()).matches()) {
      p.add(
          "dbInstanceId: '"
              + SqlIdentifiers.printable(r.dbInstanceId())
              + "' is not a DB instance identifier (1-63 letters, digits or hyphens, starting"
              + " with a letter, no trailing or double hyphen)");
    }
    identifier(p, "database", r.database(), true);
    identifier(p, "publication", r.publication(), false);
    identifier(p, "replicationUser", r.replicationUser(), false);
    if (r.tables() != null && r.tables().names().size() > MAX_TABLE_NAMES) {
      p.add(
          "tables.names: lists "
              + r.tables().names().size()
              + " names, more than "
              + MAX_TABLE_NAMES
              + "; use mode SCHEMAS or ALL_TABLES for that many tables");
    } else if (r.tables() != null) {
      if (r.tables().mode() == null) {
        p.add("tables.mode: is missing; use ALL_TABLES, TABLES or SCHEMAS");
      } else if (r.tables().mode() != TableSelection.Mode.ALL_TABLES
          && r.tables().names().isEmpty()) {
        p.add("tables.names: is empty; list at least one name for mode " + r.tables().mode());
      }
      for (int i = 0; i < r.tables().names().size(); i++) {
        String name = r.tables().names().get(i);
        try {
          if (r.tables().mode() == TableSelection.Mode.SCHEMAS) {
            SqlIdentifiers.parseIdentifier(name);
          } else {
            SqlIdentifiers.parseQualified(name, "public");
          }
        } catch (IllegalArgumentException e) {
          p.add("tables.names[" + i + "]: " + (name == null ? "is missing" : e.getMessage()));
        }
      }
    }
    if (r.replicationPasswordSecret() != null
        && !SECRET_ID.matcher(r.replicationPasswordSecret()).matches()) {
      p.add(
          "replicationPasswordSecret: '"
              + SqlIdentifiers.printable(r.replicationPasswordSecret())
              + "' is not a secret name");
    }
    if (r.adminCredentials() != null) {
      SecretRef a = r.adminCredentials();
      if (a.kind() == null) {
        p.add(
            "adminCredentials.kind: is missing; use RDS_MANAGED, SECRETS_MANAGER or WORKER_CONFIG");
      } else if (a.kind() != SecretRef.Kind.RDS_MANAGED
          && (blank(a.id()) || !SECRET_ID.matcher(a.id()).matches())) {
        p.add("adminCredentials.id: is empty or malformed; give the secret's ARN or name");
      }
    }
    MaterializeTarget m = r.materialize();
    if (m != null) {
      identifier(p, "materialize.cluster", m.cluster(), false);
      identifier(p, "materialize.source", m.source(), false);
      identifier(p, "materialize.connection", m.connection(), false);
      identifier(p, "materialize.secret", m.secret(), false);
      identifier(p, "materialize.sshTunnelConnection", m.sshTunnelConnection(), false);
      identifier(p, "materialize.privatelinkConnection", m.privatelinkConnection(), false);
      for (var size :
          new String[][] {
            {"clusterSize", m.clusterSize()},
            {"resizeTo", m.resizeTo()},
            {"snapshotClusterSize", m.snapshotClusterSize()}
          }) {
        if (size[1] != null && !CLUSTER_SIZE.matcher(size[1]).matches()) {
          p.add(
              "materialize."
                  + size[0]
                  + ": '"
                  + SqlIdentifiers.printable(size[1])
                  + "' is not a cluster size such as 25cc");
        }
      }
      if (m.sslMode() != null && !SSL_MODES.contains(m.sslMode())) {
        p.add(
            "materialize.sslMode: '"
                + SqlIdentifiers.printable(m.sslMode())
                + "' is not one of "
                + SSL_MODES);
      }
    }
    NetworkMode mode = r.networkMode();
    if (mode == NetworkMode.SSH_TUNNEL && (m == null || blank(m.sshTunnelConnection()))) {
      p.add(
          "materialize.sshTunnelConnection: networkMode SSH_TUNNEL needs the name of an existing"
              + " Materialize SSH TUNNEL connection");
    }
    if (mode == NetworkMode.PRIVATELINK && (m == null || blank(m.privatelinkConnection()))) {
      p.add(
          "materialize.privatelinkConnection: networkMode PRIVATELINK needs the name of an"
              + " existing Materialize AWS PRIVATELINK connection");
    }
    if (r.network() != null
        || mode == NetworkMode.SSH_BASTION
        || mode == NetworkMode.PRIVATELINK_SERVICE) {
      p.addAll(NetworkPathRules.problems(mode, r.network()));
    }
    WaitSettings w = r.waits();
    if (w != null) {
      positive(p, "waits.awsPollInterval", w.awsPollInterval());
      positive(p, "waits.awsMaxWait", w.awsMaxWait());
      positive(p, "waits.snapshotPollInterval", w.snapshotPollInterval());
      positive(p, "waits.snapshotMaxWait", w.snapshotMaxWait());
      positive(p, "waits.approvalTimeout", w.approvalTimeout());
      if (w.stalledGrace() != null && w.stalledGrace().isNegative()) {
        p.add("waits.stalledGrace: is negative; use 0 to fail on the first stalled reading");
      }
    }
    if (r.maxReboots() != null && (r.maxReboots() < 1 || r.maxReboots() > 3)) {
      p.add(
          "maxReboots: "
              + r.maxReboots()
              + " is not between 1 and 3; it is the most reboots one run makes (default 1 under"
              + " IMMEDIATE, 2 under APPROVAL and MAINTENANCE_WINDOW)");
    }
    Long walKeep = r.setMaxSlotWalKeepSizeMb();
    if (walKeep != null && walKeep < 0) {
      p.add(
          "setMaxSlotWalKeepSizeMb: "
              + walKeep
              + " is negative; give a size in MB, or 0 for the value onramp recommends for the"
              + " instance's storage (leave it out to only report)");
    }
    if (r.reverifyEvery() != null && r.reverifyEvery().isNegative()) {
      p.add("reverifyEvery: is negative; use 0 to turn re-verification off");
    }
    if (p.isEmpty()) {
      // The names derived from defaults parse too, so the workflow's one parse cannot fail.
      try {
        TargetNames.of(r.withDefaults());
      } catch (IllegalArgumentException e) {
        p.add("materialize: a default name " + e.getMessage() + "; name the objects explicitly");
      }
    }
    return p;
  }

  /** One problem per string field that holds a control character or NUL, naming the field. */
  private static List<String> controlCharacters(OnboardingRequest r) {
    List<String> p = new ArrayList<>();
    noControl(p, "region", r.region());
    noControl(p, "dbInstanceId", r.dbInstanceId());
    noControl(p, "database", r.database());
    noControl(p, "publication", r.publication());
    noControl(p, "replicationUser", r.replicationUser());
    noControl(p, "replicationPasswordSecret", r.replicationPasswordSecret());
    if (r.tables() != null) {
      for (int i = 0; i < r.tables().names().size() && p.size() < 20; i++) {
        noControl(p, "tables.names[" + i + "]", r.tables().names().get(i));
      }
    }
    if (r.adminCredentials() != null) {
      noControl(p, "adminCredentials.id", r.adminCredentials().id());
    }
    MaterializeTarget m = r.materialize();
    if (m != null) {
      noControl(p, "materialize.cluster", m.cluster());
      noControl(p, "materialize.clusterSize", m.clusterSize());
      noControl(p, "materialize.source", m.source());
      noControl(p, "materialize.connection", m.connection());
      noControl(p, "materialize.secret", m.secret());
      noControl(p, "materialize.sslMode", m.sslMode());
      noControl(p, "materialize.sshTunnelConnection", m.sshTunnelConnection());
      noControl(p, "materialize.privatelinkConnection", m.privatelinkConnection());
      noControl(p, "materialize.resizeTo", m.resizeTo());
      noControl(p, "materialize.snapshotClusterSize", m.snapshotClusterSize());
    }
    return p;
  }

  private static void noControl(List<String> p, String field, String value) {
    String control = SqlIdentifiers.firstControlCharacter(value);
    if (control != null) {
      p.add(
          field
              + ": '"
              + SqlIdentifiers.printable(value)
              + "' contains the control character "
              + control
              + "; control characters and NUL are not allowed in any field");
    }
  }

  /** Parses a reboot policy by name, case-insensitively, naming the choices when it is unknown. */
  public static RebootPolicy rebootPolicy(String text) {
    return parseEnum(RebootPolicy.class, "rebootPolicy", text);
  }

  /** Parses a network mode by name, case-insensitively, naming the choices when it is unknown. */
  public static NetworkMode networkMode(String text) {
    return parseEnum(NetworkMode.class, "networkMode", text);
  }

  public static <E extends Enum<E>> E parseEnum(Class<E> type, String field, String text) {
    String normalized = text == null ? "" : text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(normalized)) {
        return e;
      }
    }
    throw new InvalidRequestException(
        List.of(
            field
                + ": '"
                + SqlIdentifiers.printable(text)
                + "' is not one of "
                + Arrays.stream(type.getEnumConstants())
                    .map(Enum::name)
                    .collect(Collectors.joining(", "))));
  }

  private static void identifier(List<String> p, String field, String value, boolean required) {
    if (value == null) {
      if (required) {
        p.add(field + ": is empty");
      }
      return;
    }
    try {
      SqlIdentifiers.parseIdentifier(value);
    } catch (IllegalArgumentException e) {
      p.add(field + ": " + e.getMessage());
    }
  }

  private static void positive(List<String> p, String field, Duration d) {
    if (d != null && (d.isZero() || d.isNegative())) {
      p.add(field + ": must be a positive duration, got " + d);
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
