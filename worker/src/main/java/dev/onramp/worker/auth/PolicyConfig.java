package dev.onramp.worker.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.onramp.workflows.RebootPolicy;
import jakarta.validation.constraints.NotEmpty;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code policy:} in the worker's YAML: what callers of the REST API may ask for. Enforced by the
 * worker's API; a client with direct access to Temporal (the CLI) is trusted by Temporal's own
 * access control instead.
 */
public class PolicyConfig {
  /** Reboot policies a request may ask for; leave out IMMEDIATE to forbid unattended reboots. */
  @NotEmpty @JsonProperty
  public Set<RebootPolicy> allowedRebootPolicies = EnumSet.allOf(RebootPolicy.class);

  /** Whether the caller who started an onboarding may also approve (or reject) its reboot. */
  @JsonProperty public boolean requesterMayApproveReboot = true;
}
