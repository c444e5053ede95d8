package dev.onramp.activities.verification;

import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.QualifiedName;
import dev.onramp.workflows.tables.TableChangeAction;
import java.util.List;

/**
 * A table change ({@code onramp tables add|drop}) to apply to the tables the re-verification
 * schedule of {@code onboarding}'s target checks.
 */
public record ScheduleTablesChange(
    OnboardingRequest onboarding, TableChangeAction action, List<QualifiedName> tables) {
  public ScheduleTablesChange {
    tables = tables == null ? List.of() : List.copyOf(tables);
  }
}
