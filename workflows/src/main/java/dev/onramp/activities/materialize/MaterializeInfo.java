package dev.onramp.activities.materialize;

import java.util.List;

/** What Materialize says about itself. */
public record MaterializeInfo(
    String version, SourceSyntax sourceSyntax, List<String> egressCidrs) {}
