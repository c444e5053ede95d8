package dev.onramp.workflows;

/**
 * The names of one onboarding as identifier VALUES: parsed once from the request's SQL text by
 * {@link #of} (unquoted folded to lower case, quoted unwrapped), handed to activities as they are,
 * and quoted once by the activity where each enters a statement. A request that says {@code
 * publication: "Pub-1"} creates the publication named {@code Pub-1}, not {@code "Pub-1"}.
 */
public record TargetNames(
    String database,
    String publication,
    String replicationUser,
    String cluster,
    String source,
    String connection,
    String secret,
    String sshTunnelConnection,
    String privatelinkConnection) {

  /**
   * Parses the names of a request with defaults filled ({@link OnboardingRequest#withDefaults}).
   */
  public static TargetNames of(OnboardingRequest request) {
    MaterializeTarget m = request.materialize();
    return new TargetNames(
        SqlIdentifiers.parseIdentifier(request.database()),
        SqlIdentifiers.parseIdentifier(request.publication()),
        SqlIdentifiers.parseIdentifier(request.replicationUser()),
        SqlIdentifiers.parseIdentifier(m.cluster()),
        SqlIdentifiers.parseIdentifier(m.source()),
        SqlIdentifiers.parseIdentifier(m.connection()),
        SqlIdentifiers.parseIdentifier(m.secret()),
        SqlIdentifiers.parseOptional(m.sshTunnelConnection()),
        SqlIdentifiers.parseOptional(m.privatelinkConnection()));
  }
}
