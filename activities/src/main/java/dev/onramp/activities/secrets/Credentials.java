package dev.onramp.activities.secrets;

/**
 * A user name and password resolved from a secret. {@link #toString()} never shows the password.
 */
public record Credentials(String username, String password) {

  @Override
  public String toString() {
    return "Credentials[username=" + username + ", password=***]";
  }
}
