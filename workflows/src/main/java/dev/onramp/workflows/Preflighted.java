package dev.onramp.workflows;

import dev.onramp.activities.materialize.ConnectionSpec;
import dev.onramp.activities.materialize.MaterializeInfo;
import dev.onramp.activities.materialize.SourceSpec;
import dev.onramp.activities.rds.DbInstanceInfo;
import dev.onramp.activities.upstream.UpstreamTarget;
import dev.onramp.activities.upstream.WalSafety;
import java.util.List;

/**
 * What preflight learned and later steps use: the instance, how to reach its database, Materialize,
 * whether relations are named after their source ({@code materialize-preflight}), the tables
 * preflight found, and the WAL safety report (null for runs that did not read it).
 */
record Preflighted(
    OnboardingRequest request,
    TargetNames names,
    DbInstanceInfo instance,
    UpstreamTarget target,
    MaterializeInfo mz,
    boolean namedRelations,
    List<QualifiedName> tableNames,
    WalSafety walSafety) {

  Preflighted(
      OnboardingRequest request,
      TargetNames names,
      DbInstanceInfo instance,
      UpstreamTarget target,
      MaterializeInfo mz,
      boolean namedRelations,
      List<QualifiedName> tableNames) {
    this(request, names, instance, target, mz, namedRelations, tableNames, null);
  }

  Preflighted withInstance(DbInstanceInfo described) {
    return new Preflighted(
        request, names, described, target, mz, namedRelations, tableNames, walSafety);
  }

  Preflighted withWalSafety(WalSafety safety) {
    return new Preflighted(
        request, names, instance, target, mz, namedRelations, tableNames, safety);
  }

  ConnectionSpec connectionSpec() {
    MaterializeTarget m = request.materialize();
    return new ConnectionSpec(
        names.connection(),
        instance.endpointAddress(),
        instance.endpointPort(),
        names.database(),
        names.replicationUser(),
        names.secret(),
        m.sslMode(),
        request.networkMode() == NetworkMode.SSH_TUNNEL ? names.sshTunnelConnection() : null,
        request.networkMode() == NetworkMode.PRIVATELINK ? names.privatelinkConnection() : null);
  }

  /** The source, its relations named after it (runs that began before that keep the old form). */
  SourceSpec sourceSpec(List<QualifiedName> upstreamTables) {
    SourceSpec spec =
        new SourceSpec(
            names.source(),
            names.cluster(),
            names.connection(),
            names.publication(),
            request.tables(),
            mz.sourceSyntax());
    return namedRelations && upstreamTables != null ? spec.withRelationsFor(upstreamTables) : spec;
  }
}
