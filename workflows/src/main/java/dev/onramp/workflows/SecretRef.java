package dev.onramp.workflows;

/**
 * Where a secret lives; never the secret itself. Workflow inputs, results and history carry only
 * these references; activities resolve them at the moment of use.
 */
public record SecretRef(Kind kind, String id) {

  public enum Kind {
    /** The instance's RDS-managed master user secret ({@code MasterUserSecret.SecretArn}). */
    RDS_MANAGED,
    /** A Secrets Manager secret by ARN or name, whose SecretString is {username, password}. */
    SECRETS_MANAGER,
    /** A named credential in the worker's own configuration (environment or config file). */
    WORKER_CONFIG
  }

  public static SecretRef rdsManaged() {
    return new SecretRef(Kind.RDS_MANAGED, null);
  }

  public static SecretRef secretsManager(String arnOrName) {
    return new SecretRef(Kind.SECRETS_MANAGER, arnOrName);
  }

  public static SecretRef workerConfig(String name) {
    return new SecretRef(Kind.WORKER_CONFIG, name);
  }

  @Override
  public String toString() {
    return id == null ? kind.name() : kind + ":" + id;
  }
}
