package dev.onramp.activities.rds;

/** Set {@code max_slot_wal_keep_size} to {@code megabytes} in the instance's parameter group. */
public record WalKeepSizeRequest(String region, String dbInstanceId, long megabytes) {}
