package dev.onramp.sandbox.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.rds.model.RdsException;

/**
 * iam/onramp-policy-tagged-instances.json: onramp may reboot only instances tagged onramp=enabled.
 */
class IamTaggedInstancesTest {
  @TempDir Path dir;

  @Test
  void anUntaggedInstanceIsRefusedATaggedOneIsRebooted() {
    try (AwsEmulator aws =
            AwsEmulator.builder()
                .stateDir(dir)
                .instance(DbInstanceSpec.builder("tagged-db").build())
                .iamPolicy(Path.of("..", "iam", "onramp-policy-tagged-instances.json"))
                .start();
        SdkClients sdk = new SdkClients(aws)) {
      RdsException e =
          catchThrowableOfType(
              () -> sdk.rds.rebootDBInstance(b -> b.dbInstanceIdentifier("tagged-db")),
              RdsException.class);
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
      assertThat(e.awsErrorDetails().errorMessage())
          .contains(
              "rds:RebootDBInstance on resource: arn:aws:rds:us-east-1:123456789012:db:tagged-db");

      aws.tagInstance("tagged-db", "onramp", "enabled");

      assertThat(
              sdk.rds
                  .rebootDBInstance(b -> b.dbInstanceIdentifier("tagged-db"))
                  .dbInstance()
                  .dbInstanceStatus())
          .isEqualTo("rebooting");
    }
  }
}
