package dev.onramp.activities.network;

import java.util.List;

/** Rules as {@code <sg-id> tcp/<port> from <cidr>}: the ones added and the ones already there. */
public record IngressResult(List<String> added, List<String> alreadyPresent) {}
