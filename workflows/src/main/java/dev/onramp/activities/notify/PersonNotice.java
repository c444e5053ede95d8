package dev.onramp.activities.notify;

/**
 * One message for a person: {@code key} identifies what it is about (one message per key: a retry
 * or a replay does not tell twice), {@code text} says what happened and the commands to act.
 */
public record PersonNotice(String key, String text) {}
