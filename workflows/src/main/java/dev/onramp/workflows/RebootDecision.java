package dev.onramp.workflows;

import java.time.Instant;

/** The answer to a reboot approval: who decided, what, when and why. */
public record RebootDecision(boolean approved, String by, String reason, Instant at) {}
