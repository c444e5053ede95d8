package dev.onramp.activities.notify;

import dev.onramp.activities.ledger.Finding;
import java.util.List;

/**
 * What a re-verification found for {@code target} ({@code region/instance/database}): every finding
 * of the run, so that the notifier can also forget the ones that went away.
 */
public record FindingsNotice(String target, String status, List<Finding> findings) {}
