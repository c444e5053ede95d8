package dev.onramp.activities.temporal;

/** The target whose onboarding runs to read; {@code database} as in the onboarding request. */
public record OnboardingRecordRequest(String region, String dbInstanceId, String database) {}
