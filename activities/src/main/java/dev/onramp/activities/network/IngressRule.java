package dev.onramp.activities.network;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.workflows.OnboardingFailures;
import java.util.Map;

/** One rule onramp wants: TCP {@code port} from {@code cidr} on security group {@code groupId}. */
public record IngressRule(String groupId, int port, String cidr) {

  /** As {@link dev.onramp.activities.ledger.ResourceKind#INGRESS_RULE} identifies it. */
  public String identifier() {
    return groupId + " tcp/" + port + " from " + cidr;
  }

  public Map<String, String> attributes() {
    return Map.of("securityGroupId", groupId, "port", Integer.toString(port), "cidr", cidr);
  }

  public boolean ipv6() {
    return cidr.contains(":");
  }

  /** The rule a ledger entry names, from its attributes (written by {@link #attributes}). */
  public static IngressRule of(LedgerEntry entry) {
    String group = entry.attribute("securityGroupId");
    String port = entry.attribute("port");
    String cidr = entry.attribute("cidr");
    if (group == null || port == null || cidr == null) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.INVALID_REQUEST,
          "ledger entry "
              + entry.identifier()
              + " lacks securityGroupId, port or cidr; it was not written by onramp's ingress"
              + " resource");
    }
    return new IngressRule(group, Integer.parseInt(port), cidr);
  }
}
