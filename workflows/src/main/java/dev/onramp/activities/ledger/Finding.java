package dev.onramp.activities.ledger;

/** One drift: which resource, what is wrong, and the exact command or step that fixes it. */
public record Finding(
    Severity severity, ResourceKind kind, String identifier, String problem, String fix) {}
