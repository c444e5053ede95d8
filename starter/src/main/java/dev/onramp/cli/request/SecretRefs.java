package dev.onramp.cli.request;

import dev.onramp.workflows.SecretRef;
import java.util.Locale;

/** {@code RDS_MANAGED}, {@code SECRETS_MANAGER:<arn-or-name>}, {@code WORKER_CONFIG:<name>}. */
public final class SecretRefs {
  private SecretRefs() {}

  public static SecretRef parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("secret reference is empty");
    }
    int colon = text.indexOf(':');
    String kind = (colon < 0 ? text : text.substring(0, colon)).trim().toUpperCase(Locale.ROOT);
    String id = colon < 0 ? null : text.substring(colon + 1).trim();
    return switch (kind.replace('-', '_')) {
      case "RDS_MANAGED" -> SecretRef.rdsManaged();
      case "SECRETS_MANAGER" -> SecretRef.secretsManager(required(id, text));
      case "WORKER_CONFIG" -> SecretRef.workerConfig(required(id, text));
      case "ARN" -> SecretRef.secretsManager(text); // a bare ARN: arn:aws:secretsmanager:...
      default ->
          throw new IllegalArgumentException(
              "'"
                  + text
                  + "' is not a secret reference; write RDS_MANAGED, SECRETS_MANAGER:<arn or"
                  + " name> or WORKER_CONFIG:<name>");
    };
  }

  private static String required(String id, String text) {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("'" + text + "' names no secret after the ':'");
    }
    return id;
  }
}
