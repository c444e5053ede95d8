package dev.onramp.activities.materialize;

import dev.onramp.workflows.QualifiedName;
import dev.onramp.workflows.tables.TableChangeAction;
import java.util.List;

/**
 * Upstream tables whose relations an onboarded source gains ({@code ALTER SOURCE ... ADD SUBSOURCE}
 * or {@code CREATE TABLE ... FROM SOURCE}, named {@code <source>_<table>}) or loses ({@code DROP
 * SOURCE <subsource>} or {@code DROP TABLE}). {@code source} is the onboarding's source as it
 * builds it; its {@code syntax} is the form the Materialize in use takes.
 */
public record SourceTableChange(
    SourceSpec source, TableChangeAction action, List<QualifiedName> tables) {
  public SourceTableChange {
    tables = List.copyOf(tables);
  }
}
