package dev.onramp.sandbox.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onramp.sandbox.aws.ec2.EndpointService;
import dev.onramp.sandbox.materialize.tunnel.PrivateLinkEndpoints;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.ServiceDetail;
import software.amazon.awssdk.services.ec2.model.State;
import software.amazon.awssdk.services.ec2.model.VpcEndpointConnection;

/** VPC endpoint services (PrivateLink) through the real AWS SDK. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndpointServicesTest {
  private static final String PRINCIPAL =
      "arn:aws:iam::664411391173:role/mz_2f1c0b5e-0000-4000-8000-000000000001_u7";

  private AwsEmulator aws;
  private SdkClients sdk;

  @BeforeAll
  void start() {
    aws = AwsEmulator.builder().start();
    sdk = new SdkClients(aws);
  }

  @AfterAll
  void stop() {
    sdk.close();
    aws.close();
  }

  @Test
  void anEndpointComesUpOnlyOnceItsPrincipalIsAllowedAndItIsAccepted() {
    EndpointService service = aws.endpointServices().create(true, List.of("use1-az1", "use1-az4"));
    assertThat(service.serviceName)
        .matches("com\\.amazonaws\\.vpce\\.us-east-1\\.vpce-svc-[0-9a-f]{17}");
    PrivateLinkEndpoints materialize = aws.endpointServices().endpoints();

    ServiceDetail detail =
        sdk.ec2
            .describeVpcEndpointServices(r -> r.serviceNames(service.serviceName))
            .serviceDetails()
            .get(0);
    assertThat(detail.serviceId()).isEqualTo(service.serviceId);
    assertThat(detail.acceptanceRequired()).isTrue();
    assertThat(detail.availabilityZoneIds()).containsExactly("use1-az1", "use1-az4");
    assertThatThrownBy(
            () ->
                sdk.ec2.describeVpcEndpointServices(
                    r -> r.serviceNames("com.amazonaws.vpce.us-east-1.vpce-svc-00000000000000000")))
        .isInstanceOf(Ec2Exception.class)
        .satisfies(
            e ->
                assertThat(((Ec2Exception) e).awsErrorDetails().errorCode())
                    .isEqualTo("InvalidServiceName"));

    assertThat(materialize.endpointStatus(service.serviceName, PRINCIPAL, List.of("use1-az1")))
        .isEqualTo("pending-service-discovery");
    sdk.ec2.modifyVpcEndpointServicePermissions(
        r -> r.serviceId(service.serviceId).addAllowedPrincipals(PRINCIPAL));
    assertThat(
            sdk.ec2
                .describeVpcEndpointServicePermissions(r -> r.serviceId(service.serviceId))
                .allowedPrincipals())
        .singleElement()
        .satisfies(p -> assertThat(p.principal()).isEqualTo(PRINCIPAL));

    assertThat(materialize.endpointStatus(service.serviceName, PRINCIPAL, List.of("use1-az1")))
        .isEqualTo("pending-acceptance");
    VpcEndpointConnection pending =
        sdk.ec2
            .describeVpcEndpointConnections(
                r -> r.filters(f -> f.name("service-id").values(service.serviceId)))
            .vpcEndpointConnections()
            .get(0);
    assertThat(pending.vpcEndpointState()).isEqualTo(State.PENDING_ACCEPTANCE);
    assertThat(pending.vpcEndpointOwner()).isEqualTo("664411391173");

    sdk.ec2.acceptVpcEndpointConnections(
        r -> r.serviceId(service.serviceId).vpcEndpointIds(pending.vpcEndpointId()));
    assertThat(materialize.endpointStatus(service.serviceName, PRINCIPAL, List.of("use1-az1")))
        .isEqualTo("available");
    assertThat(
            sdk.ec2
                .describeVpcEndpointConnections(
                    r -> r.filters(f -> f.name("service-id").values(service.serviceId)))
                .vpcEndpointConnections()
                .get(0)
                .vpcEndpointState())
        .isEqualTo(State.AVAILABLE);
  }
}
