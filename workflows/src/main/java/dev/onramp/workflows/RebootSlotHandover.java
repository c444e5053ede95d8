package dev.onramp.workflows;

/** An onboarding ({@code from}) has handed its reboot slot to its successor ({@code to}). */
public record RebootSlotHandover(String from, String to) {}
