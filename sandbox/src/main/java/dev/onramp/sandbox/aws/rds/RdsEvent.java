package dev.onramp.sandbox.aws.rds;

import java.util.List;

/** An entry of DescribeEvents. */
public record RdsEvent(
    String sourceIdentifier,
    String sourceType,
    String sourceArn,
    String message,
    List<String> eventCategories,
    long dateMillis) {}
