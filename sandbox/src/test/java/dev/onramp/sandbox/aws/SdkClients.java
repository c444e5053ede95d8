package dev.onramp.sandbox.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The real AWS SDK v2 clients, pointed at an emulator. */
final class SdkClients implements AutoCloseable {
  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

  final RdsClient rds;
  final Ec2Client ec2;
  final SecretsManagerClient secrets;

  SdkClients(AwsEmulator aws) {
    rds =
        RdsClient.builder()
            .endpointOverride(aws.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(CREDENTIALS)
            .build();
    ec2 =
        Ec2Client.builder()
            .endpointOverride(aws.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(CREDENTIALS)
            .build();
    secrets =
        SecretsManagerClient.builder()
            .endpointOverride(aws.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(CREDENTIALS)
            .build();
  }

  @Override
  public void close() {
    rds.close();
    ec2.close();
    secrets.close();
  }
}
