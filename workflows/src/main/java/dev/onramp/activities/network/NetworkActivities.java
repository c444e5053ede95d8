package dev.onramp.activities.network;

import dev.onramp.activities.ledger.Finding;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.PlannedChange;
import dev.onramp.activities.ledger.Removal;
import io.temporal.activity.ActivityInterface;
import java.util.List;

/** EC2 security groups through the AWS SDK v2. */
@ActivityInterface
public interface NetworkActivities {

  /**
   * Allows TCP {@code port} from each CIDR on each security group, with a description marking the
   * rule as onramp's. Rules already present count as success (Describe first, since one duplicate
   * fails a whole AuthorizeSecurityGroupIngress call).
   */
  IngressResult authorizeIngress(
      String region, List<String> securityGroupIds, int port, List<String> cidrs);

  /**
   * Checks Materialize's egress CIDRs against the worker's limits ({@code EgressCidrGuard}) without
   * changing anything; refuses non-retryably, naming the CIDR. Preflight runs it, so a CIDR that
   * {@link #authorizeIngress} would refuse stops the run before anything changes.
   */
  void checkEgressCidrs(List<String> cidrs);

  // ---- the resource model (issue 13): one record per call, typed outcomes ----

  /** One entry per rule: CREATED when added, REUSED when already there. */
  List<LedgerEntry> convergeIngress(IngressRequest request);

  List<PlannedChange> planIngress(IngressRequest request);

  /** A rule onramp needs that is gone (CRITICAL), with the command that puts it back. */
  List<Finding> ingressDrift(IngressRequest request);

  /** Revokes the rules onramp added; leaves rules it found. */
  List<Removal> removeIngress(IngressRemoval removal);
}
