package dev.onramp.activities.network;

import dev.onramp.activities.aws.AwsClients;
import dev.onramp.activities.aws.AwsFailures;
import dev.onramp.workflows.OnboardingFailures;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AllowedPrincipal;
import software.amazon.awssdk.services.ec2.model.ServiceDetail;
import software.amazon.awssdk.services.ec2.model.VpcEndpointConnection;

/**
 * Reads a VPC endpoint service (PrivateLink) of the database's account: that it exists, whom it
 * allows, and the state of the endpoints connected to it. Read only: allowing Materialize's
 * principal and accepting its endpoint stay with the service's owner.
 */
public final class EndpointServiceReader {
  private final AwsClients aws;

  public EndpointServiceReader(AwsClients aws) {
    this.aws = aws;
  }

  /** The service, or empty when EC2 says there is no such service (InvalidServiceName). */
  public Optional<ServiceDetail> find(String region, String serviceName) {
    try {
      return aws
          .ec2(region)
          .describeVpcEndpointServices(r -> r.serviceNames(serviceName))
          .serviceDetails()
          .stream()
          .filter(s -> serviceName.equals(s.serviceName()))
          .findFirst();
    } catch (AwsServiceException e) {
      if ("InvalidServiceName".equals(AwsFailures.code(e))) {
        return Optional.empty();
      }
      throw AwsFailures.translate("DescribeVpcEndpointServices " + serviceName, e);
    }
  }

  /** Refuses (non-retryably) a service name EC2 does not know. */
  public ServiceDetail require(String region, String serviceName) {
    return find(region, serviceName)
        .orElseThrow(
            () ->
                OnboardingFailures.nonRetryable(
                    OnboardingFailures.INVALID_REQUEST,
                    "network.privatelinkServiceName: there is no VPC endpoint service "
                        + serviceName
                        + " in "
                        + region
                        + " (DescribeVpcEndpointServices says InvalidServiceName); give the"
                        + " Service name shown on the endpoint service in the VPC console."
                        + " Nothing was created"));
  }

  /**
   * What the service's owner still has to do for {@code principal}, as a command; null when the
   * principal is allowed and no endpoint of Materialize's waits for acceptance or was rejected.
   */
  public String missingStep(String region, String serviceName, String principal) {
    ServiceDetail service = require(region, serviceName);
    Ec2Client ec2 = aws.ec2(region);
    String id = service.serviceId();
    List<AllowedPrincipal> allowed;
    List<VpcEndpointConnection> connections;
    try {
      allowed = ec2.describeVpcEndpointServicePermissions(r -> r.serviceId(id)).allowedPrincipals();
      connections =
          ec2.describeVpcEndpointConnections(r -> r.filters(f -> f.name("service-id").values(id)))
              .vpcEndpointConnections();
    } catch (AwsServiceException e) {
      throw AwsFailures.translate("reading endpoint service " + id, e);
    }
    String account = principal.replaceFirst("^arn:aws:iam::(\\d+):.*$", "$1");
    boolean isAllowed =
        allowed.stream()
            .map(AllowedPrincipal::principal)
            .anyMatch(
                p ->
                    p.equals(principal)
                        || p.equals("*")
                        || p.equals("arn:aws:iam::" + account + ":root"));
    if (!isAllowed) {
      return "allow Materialize's principal on endpoint service "
          + id
          + ": aws ec2 modify-vpc-endpoint-service-permissions --region "
          + region
          + " --service-id "
          + id
          + " --add-allowed-principals "
          + principal;
    }
    for (VpcEndpointConnection c : connections) {
      if (!account.equals(c.vpcEndpointOwner())) {
        continue;
      }
      String state = c.vpcEndpointStateAsString();
      if ("PendingAcceptance".equalsIgnoreCase(state)) {
        return "accept Materialize's endpoint connection: aws ec2 accept-vpc-endpoint-connections"
            + " --region "
            + region
            + " --service-id "
            + id
            + " --vpc-endpoint-ids "
            + c.vpcEndpointId();
      }
      if ("Rejected".equalsIgnoreCase(state)) {
        return "Materialize's endpoint "
            + c.vpcEndpointId()
            + " was rejected on "
            + id
            + "; drop the connection (onramp offboard) and onboard again, then accept it";
      }
    }
    return null;
  }
}
