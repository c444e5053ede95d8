package dev.onramp.sandbox.aws;

/**
 * How to reach an emulated DB instance from this machine.
 *
 * @param masterPassword the master password, read from the instance's Secrets Manager secret
 */
public record InstanceInfo(
    String id,
    String host,
    int port,
    String dbName,
    String masterUsername,
    String masterPassword,
    String masterUserSecretArn,
    String status,
    String parameterGroup,
    String parameterApplyStatus) {

  /** A pgjdbc URL for the instance's database with {@code sslmode=require}, as RDS needs. */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + dbName + "?sslmode=require";
  }

  @Override
  public String toString() {
    // Keeps the password out of logs.
    return "InstanceInfo[id="
        + id
        + ", host="
        + host
        + ", port="
        + port
        + ", dbName="
        + dbName
        + ", masterUsername="
        + masterUsername
        + ", secret="
        + masterUserSecretArn
        + ", status="
        + status
        + "]";
  }
}
