package dev.onramp.workflows;

/** How the progress describes a wait on AWS: what for, how often checked, for how long at most. */
final class Waits {
  private Waits() {}

  static String aws(OnboardingRequest request, String what) {
    return what
        + " (checking every "
        + HumanDurations.format(request.waits().awsPollInterval())
        + ", at most "
        + HumanDurations.format(request.waits().awsMaxWait())
        + ")";
  }
}
