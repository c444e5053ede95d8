package dev.onramp.activities.materialize;

/** A Materialize cluster as onramp wants it: its name (a value) and size. */
public record ClusterSpec(String name, String size) {}
