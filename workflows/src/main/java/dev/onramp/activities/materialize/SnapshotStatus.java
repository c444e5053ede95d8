package dev.onramp.activities.materialize;

/** The source's status and snapshot counters from mz_source_statuses / mz_source_statistics. */
public record SnapshotStatus(
    String status,
    boolean snapshotCommitted,
    long snapshotRecordsKnown,
    long snapshotRecordsStaged) {}
