package dev.onramp.workflows;

import java.util.List;

/**
 * An onboarding for the fleet tests and benches: only {@code onboard} does something (each subclass
 * its own), no approval or network confirmation is ever pending, and the result says little.
 */
public abstract class StubOnboarding implements OnboardingWorkflow {

  /** A result for {@code request}: one reboot, nothing else worth reading. */
  protected static OnboardingResult result(OnboardingRequest request) {
    return new OnboardingResult(
        request.dbInstanceId(),
        request.database(),
        "g",
        1,
        "p",
        "u",
        "s",
        List.of(),
        0,
        null,
        List.of(),
        List.of());
  }

  @Override
  public OnboardingProgress progress() {
    return null;
  }

  @Override
  public RebootDecision approveReboot(String approver) {
    return null;
  }

  @Override
  public void validateApproveReboot(String approver) {}

  @Override
  public RebootDecision rejectReboot(String approver, String reason) {
    return null;
  }

  @Override
  public void validateRejectReboot(String approver, String reason) {}

  @Override
  public void rebootDecision(RebootDecision decision) {}

  @Override
  public NetworkConfirmed confirmNetwork(String by) {
    return null;
  }

  @Override
  public void validateConfirmNetwork(String by) {
    throw new IllegalStateException("no network confirmation is pending");
  }

  @Override
  public void networkConfirmed(String by) {}
}
