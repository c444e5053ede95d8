package dev.onramp.activities.materialize;

import dev.onramp.activities.aws.AwsClients;
import dev.onramp.activities.jdbc.Sql;
import dev.onramp.activities.network.EndpointServiceReader;
import dev.onramp.activities.network.TunnelActivities;
import dev.onramp.activities.network.TunnelCheck;
import dev.onramp.activities.network.TunnelConnection;
import dev.onramp.activities.network.TunnelSpec;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.SqlIdentifiers;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;

/** The private network paths onramp sets up, against Materialize (JDBC) and EC2 (AWS SDK v2). */
public final class TunnelActivitiesImpl implements TunnelActivities {
  private final MaterializeClient client;
  private final EndpointServiceReader endpointServices;
  private final TunnelConnectionResource resource = new TunnelConnectionResource();

  public TunnelActivitiesImpl(MaterializeSettings settings, AwsClients aws) {
    this.client = new MaterializeClient(settings);
    this.endpointServices = new EndpointServiceReader(aws);
  }

  @Override
  public void checkTunnelTarget(TunnelSpec spec) {
    if (spec.overSsh()) {
      try {
        InetAddress.getByName(spec.sshHost());
      } catch (UnknownHostException e) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.INVALID_REQUEST,
            "network.sshHost: the bastion host "
                + spec.sshHost()
                + " does not resolve; give its public DNS name or IP address. Nothing was"
                + " created");
      }
      return;
    }
    endpointServices.require(spec.region(), spec.serviceName());
  }

  @Override
  public TunnelConnection convergeTunnelConnection(TunnelSpec spec) {
    try (Connection c = client.connect()) {
      return resource.converge(c, spec);
    } catch (SQLException e) {
      throw MaterializeClient.failure("creating connection " + spec.name(), e);
    }
  }

  @Override
  public TunnelCheck validateTunnelConnection(TunnelSpec spec) {
    String error;
    try (Connection c = client.connect()) {
      try {
        Sql.exec(c, "VALIDATE CONNECTION " + SqlIdentifiers.quote(spec.name()));
        return TunnelCheck.passed();
      } catch (SQLException e) {
        error = MaterializeClient.describe(e);
      }
      if (spec.overSsh()) {
        return TunnelCheck.failed(error, TunnelConnectionResource.sshFix(spec, error));
      }
      String principal =
          Sql.single(
              c,
              "SELECT p.principal FROM mz_catalog.mz_aws_privatelink_connections p JOIN"
                  + " mz_catalog.mz_connections cn ON cn.id = p.id WHERE cn.name = ?",
              spec.name());
      String step = endpointServices.missingStep(spec.region(), spec.serviceName(), principal);
      return TunnelCheck.failed(
          error,
          step != null
              ? step + ", then confirm again"
              : "the endpoint service allows Materialize and its endpoint is accepted; wait"
                  + " for the endpoint to become available, then confirm again");
    } catch (SQLException e) {
      throw MaterializeClient.failure("validating connection " + spec.name(), e);
    }
  }
}
