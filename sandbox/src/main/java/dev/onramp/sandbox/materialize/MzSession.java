package dev.onramp.sandbox.materialize;

/** Per-connection state that Materialize keeps in session variables. */
public final class MzSession {
  private volatile String cluster;
  private final String user;

  public MzSession(String user, String cluster) {
    this.user = user;
    this.cluster = cluster;
  }

  public String cluster() {
    return cluster;
  }

  public void cluster(String cluster) {
    this.cluster = cluster;
  }

  public String user() {
    return user;
  }
}
