package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The network path a request names for SSH_BASTION and PRIVATELINK_SERVICE, before anything. */
class NetworkPathRulesTest {

  private static OnboardingRequest req(NetworkMode mode, NetworkPath path) {
    return OnboardingRequest.of("us-east-1", "db-1", "shop", TableSelection.tables("orders"))
        .withNetworkMode(mode)
        .withNetwork(path);
  }

  @Test
  void goodPathsPass() {
    assertThat(
            RequestValidator.problems(
                req(
                    NetworkMode.SSH_BASTION,
                    NetworkPath.sshBastion("bastion.example.com", 2222, "ec2-user"))))
        .isEmpty();
    assertThat(
            RequestValidator.problems(
                req(
                    NetworkMode.PRIVATELINK_SERVICE,
                    NetworkPath.privatelinkService(
                        "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
                        List.of("use1-az1", "use1-az4")))))
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "vpce-svc-0123456789abcdef0",
        "com.amazonaws.us-east-1.s3",
        "com.amazonaws.vpce.us-east-1.vpce-svc-XYZ",
        "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0; drop"
      })
  void aServiceNameOfTheWrongFormIsRefusedNamingTheField(String name) {
    assertThat(
            RequestValidator.problems(
                req(
                    NetworkMode.PRIVATELINK_SERVICE,
                    NetworkPath.privatelinkService(name, List.of()))))
        .singleElement()
        .asString()
        .startsWith("network.privatelinkServiceName: ")
        .contains("is not a VPC endpoint service name");
  }

  @Test
  void availabilityZoneNamesInsteadOfIdsAreRefused() {
    assertThat(
            RequestValidator.problems(
                req(
                    NetworkMode.PRIVATELINK_SERVICE,
                    NetworkPath.privatelinkService(
                        "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
                        List.of("us-east-1a")))))
        .singleElement()
        .asString()
        .startsWith("network.availabilityZones: 'us-east-1a'");
  }

  @Test
  void aBastionNeedsAHostAndAUserAndAPort() {
    assertThat(RequestValidator.problems(req(NetworkMode.SSH_BASTION, null)))
        .anySatisfy(p -> assertThat(p).startsWith("network.sshHost: "))
        .anySatisfy(p -> assertThat(p).startsWith("network.sshUser: "));
    assertThat(
            RequestValidator.problems(
                req(NetworkMode.SSH_BASTION, NetworkPath.sshBastion("bad host;", 0, "Root"))))
        .anySatisfy(p -> assertThat(p).startsWith("network.sshHost: 'bad host;'"))
        .anySatisfy(p -> assertThat(p).startsWith("network.sshPort: 0"))
        .anySatisfy(p -> assertThat(p).startsWith("network.sshUser: 'Root'"));
  }

  @Test
  void aPathWithAnotherModeIsRefused() {
    assertThat(
            RequestValidator.problems(
                req(NetworkMode.EGRESS_IPS, NetworkPath.sshBastion("b.example.com", 22, "u"))))
        .singleElement()
        .asString()
        .startsWith("network: is only used with");
  }
}
