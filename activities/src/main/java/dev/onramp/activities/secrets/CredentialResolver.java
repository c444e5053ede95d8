package dev.onramp.activities.secrets;

import dev.onramp.workflows.SecretRef;

/** Turns a {@link SecretRef} into credentials at the moment of use, inside an activity. */
public interface CredentialResolver {

  /**
   * @param fallbackUsername the user name to use when the secret holds only a password (for example
   *     the instance's master user name)
   */
  Credentials resolve(String region, SecretRef ref, String fallbackUsername);
}
