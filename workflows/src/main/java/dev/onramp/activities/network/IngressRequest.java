package dev.onramp.activities.network;

import java.util.List;

/** Let {@code cidrs} reach {@code port} through the instance's security groups. */
public record IngressRequest(
    String region, List<String> securityGroupIds, int port, List<String> cidrs) {}
