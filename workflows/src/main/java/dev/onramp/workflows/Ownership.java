package dev.onramp.workflows;

/**
 * How onramp marks what it creates, so that a later run (or another onboarding on the same
 * instance) can tell its own objects from anyone else's and never alter the latter: a tag on AWS
 * resources (Secrets Manager secrets, DB parameter groups) and a comment on PostgreSQL roles and
 * publications and on Materialize clusters, secrets, connections and sources ({@code COMMENT ON},
 * read back from {@code pg_description}/{@code pg_shdescription} and Materialize's {@code
 * mz_internal.mz_comments}).
 */
public final class Ownership {
  /** The tag key on AWS resources onramp created; its value is {@link #TAG_VALUE}. */
  public static final String TAG_KEY = "managed-by";

  public static final String TAG_VALUE = "onramp";

  /** Extra tags that say which onboarding an AWS resource belongs to. */
  public static final String REGION_TAG = "onramp:region";

  public static final String INSTANCE_TAG = "onramp:db-instance";
  public static final String USER_TAG = "onramp:replication-user";

  /** The comment on SQL objects onramp created (PostgreSQL and Materialize). */
  public static final String COMMENT = "managed by onramp";

  private Ownership() {}

  /** Whether a comment read back from a catalog marks the object as onramp's. */
  public static boolean isOnrampComment(String comment) {
    return comment != null && comment.startsWith(COMMENT);
  }
}
