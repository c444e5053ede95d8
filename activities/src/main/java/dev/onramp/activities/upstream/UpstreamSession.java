package dev.onramp.activities.upstream;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.workflows.QualifiedName;
import dev.onramp.workflows.TableSelection;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * What the upstream resources share during one activity call: the admin connection, the target,
 * what the request wants (absent when removing, which works from ledger entries alone), and what
 * converging did so far as people read it ({@link #changes}, {@link #note}).
 */
final class UpstreamSession {
  final Connection c;
  final UpstreamTarget target;
  final TableSelection.Mode mode;
  final List<QualifiedName> tables;
  final String publication;
  final String user;

  /** The replication password; null when planning, checking drift or removing. */
  final String password;

  final UpstreamConnector connector;
  final List<String> changes = new ArrayList<>();

  /** The entries converging wrote so far, in order (a later resource may depend on an earlier). */
  final List<LedgerEntry> ledger = new ArrayList<>();

  String note;

  UpstreamSession(
      Connection c,
      UpstreamTarget target,
      TableSelection.Mode mode,
      List<QualifiedName> tables,
      String publication,
      String user,
      String password,
      UpstreamConnector connector) {
    this.c = c;
    this.target = target;
    this.mode = mode;
    this.tables = tables;
    this.publication = publication;
    this.user = user;
    this.password = password;
    this.connector = connector;
  }

  /** For removal: only the connection and the target. */
  static UpstreamSession forRemoval(Connection c, UpstreamTarget target) {
    return new UpstreamSession(c, target, null, List.of(), null, null, null, null);
  }
}
