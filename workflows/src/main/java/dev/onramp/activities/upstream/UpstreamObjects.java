package dev.onramp.activities.upstream;

import java.util.List;

/** What {@link UpstreamActivities#ensureUpstreamObjects} left in place and what it changed. */
public record UpstreamObjects(
    String publication, String replicationUser, List<String> tables, List<String> changes) {}
