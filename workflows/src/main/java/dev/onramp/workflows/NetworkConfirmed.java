package dev.onramp.workflows;

import java.time.Instant;

/** A person's word that the network path is ready (keys added, principal allowed). */
public record NetworkConfirmed(String by, Instant at) {}
