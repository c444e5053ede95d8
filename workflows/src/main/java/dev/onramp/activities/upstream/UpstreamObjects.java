package dev.onramp.activities.upstream;

import dev.onramp.workflows.QualifiedName;
import java.util.List;

/**
 * What {@link UpstreamActivities#ensureUpstreamObjects} left in place and what it changed; {@code
 * note} (or null) says what differs from what was asked, e.g. an explicit table list where {@code
 * FOR ALL TABLES} was refused; {@code tableNames} are the published tables as names.
 */
public record UpstreamObjects(
    String publication,
    String replicationUser,
    List<String> tables,
    List<String> changes,
    String note,
    List<QualifiedName> tableNames) {

  public UpstreamObjects(
      String publication, String replicationUser, List<String> tables, List<String> changes) {
    this(publication, replicationUser, tables, changes, null, null);
  }
}
