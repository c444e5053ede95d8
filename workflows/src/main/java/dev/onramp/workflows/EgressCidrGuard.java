package dev.onramp.workflows;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which of Materialize's egress CIDRs onramp may open PostgreSQL's port to. Materialize reports the
 * addresses its region connects from ({@code mz_egress_ips}); a rule for {@code 0.0.0.0/0} or
 * {@code ::/0}, or for a range much broader than a NAT gateway's addresses, would open the database
 * to far more than Materialize, so those are refused before any rule is added: IPv4 ranges broader
 * than {@code minIpv4Prefix} (default /24) and IPv6 ranges broader than {@code minIpv6Prefix}
 * (default /48). Pure parsing, no DNS, so the workflow can run it in preflight.
 */
public record EgressCidrGuard(int minIpv4Prefix, int minIpv6Prefix) {

  public static final EgressCidrGuard DEFAULT = new EgressCidrGuard(24, 48);

  /** Refuses only what no configuration allows: the whole internet and malformed entries. */
  public static final EgressCidrGuard NOT_THE_INTERNET = new EgressCidrGuard(1, 1);

  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern HEX_GROUP = Pattern.compile("[0-9a-fA-F]{1,4}");
  private static final Pattern CIDR = Pattern.compile("([^/]+)/(\\d{1,3})");

  public EgressCidrGuard {
    if (minIpv4Prefix < 1 || minIpv4Prefix > 32) {
      throw new IllegalArgumentException("minIpv4Prefix must be 1..32, not " + minIpv4Prefix);
    }
    if (minIpv6Prefix < 1 || minIpv6Prefix > 128) {
      throw new IllegalArgumentException("minIpv6Prefix must be 1..128, not " + minIpv6Prefix);
    }
  }

  /** One accepted CIDR: its text as Materialize gave it and whether it is IPv6. */
  public record Cidr(String text, boolean ipv6, int prefix) {}

  /**
   * The CIDRs, each checked; the first refused one fails non-retryably, naming the CIDR and why.
   */
  public List<Cidr> check(List<String> cidrs) {
    List<Cidr> out = new ArrayList<>();
    for (String c : cidrs) {
      out.add(check(c));
    }
    return out;
  }

  public Cidr check(String cidr) {
    String text = cidr == null ? "" : cidr.trim();
    Matcher m = CIDR.matcher(text);
    if (!m.matches()) {
      throw refused(cidr, "is not a CIDR (address/prefix)");
    }
    String address = m.group(1);
    int prefix = Integer.parseInt(m.group(2));
    boolean ipv6 = address.contains(":");
    if (ipv6 ? !isIpv6(address) : !IPV4.matcher(address).matches()) {
      throw refused(cidr, "is not a valid IP" + (ipv6 ? "v6" : "v4") + " CIDR");
    }
    int max = ipv6 ? 128 : 32;
    if (prefix > max) {
      throw refused(cidr, "has a prefix longer than /" + max);
    }
    if (prefix == 0) {
      throw refused(cidr, "is the whole internet");
    }
    int min = ipv6 ? minIpv6Prefix : minIpv4Prefix;
    if (prefix < min) {
      throw refused(
          cidr,
          "is broader than /"
              + min
              + " (the configured limit for IPv"
              + (ipv6 ? "6" : "4")
              + " egress ranges)");
    }
    return new Cidr(text, ipv6, prefix);
  }

  private static boolean isIpv6(String a) {
    int gap = a.indexOf("::");
    if (gap >= 0 && a.indexOf("::", gap + 1) >= 0) {
      return false;
    }
    List<String> groups = new ArrayList<>();
    if (gap >= 0) {
      String head = a.substring(0, gap);
      String tail = a.substring(gap + 2);
      if (!head.isEmpty()) {
        groups.addAll(List.of(head.split(":", -1)));
      }
      if (!tail.isEmpty()) {
        groups.addAll(List.of(tail.split(":", -1)));
      }
      if (groups.size() > 7) {
        return false;
      }
    } else {
      groups.addAll(List.of(a.split(":", -1)));
      if (groups.size() != 8) {
        return false;
      }
    }
    return groups.stream().allMatch(g -> HEX_GROUP.matcher(g).matches());
  }

  private static RuntimeException refused(String cidr, String why) {
    return OnboardingFailures.nonRetryable(
        OnboardingFailures.SECURITY_GROUP,
        "Materialize egress CIDR "
            + cidr
            + " "
            + why
            + ": onramp refuses to open PostgreSQL's port to it; check mz_egress_ips in"
            + " Materialize, or open the path yourself and choose networkMode NONE");
  }
}
