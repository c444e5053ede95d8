package dev.onramp.activities.network;

/**
 * What {@code VALIDATE CONNECTION} said of a tunnel connection: {@code ok}, or Materialize's error
 * and what a person must fix before confirming again.
 */
public record TunnelCheck(boolean ok, String error, String fix) {
  public static TunnelCheck passed() {
    return new TunnelCheck(true, null, null);
  }

  public static TunnelCheck failed(String error, String fix) {
    return new TunnelCheck(false, error, fix);
  }
}
