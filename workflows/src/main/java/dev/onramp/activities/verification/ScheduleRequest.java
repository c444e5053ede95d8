package dev.onramp.activities.verification;

import dev.onramp.workflows.OnboardingRequest;
import java.time.Duration;

/** The re-verification schedule of the onboarded target, running every {@code every}. */
public record ScheduleRequest(OnboardingRequest request, Duration every) {}
