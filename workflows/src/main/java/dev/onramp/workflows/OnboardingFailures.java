package dev.onramp.workflows;

import io.temporal.failure.ApplicationErrorCategory;
import io.temporal.failure.ApplicationFailure;

/**
 * Failure types raised by activities and the workflow. Everything non-retryable carries a message
 * that tells a person what to fix; {@link #NOT_READY} is the benign "not yet" of polling waits.
 */
public final class OnboardingFailures {
  /** A polling check found the goal not reached yet; retried, and benign so it is not an error. */
  public static final String NOT_READY = "NotReady";

  public static final String INVALID_REQUEST = "InvalidRequest";
  public static final String INSTANCE_NOT_FOUND = "InstanceNotFound";
  public static final String UNSUPPORTED_ENGINE = "UnsupportedEngine";
  public static final String INSTANCE_STATE = "InstanceState";
  public static final String PARAMETER_GROUP = "ParameterGroup";
  public static final String PARAMETER_NOT_APPLIED = "ParameterNotApplied";
  public static final String PENDING_MODIFICATIONS = "PendingModifications";
  public static final String REBOOT_REJECTED = "RebootRejected";
  public static final String APPROVAL_TIMED_OUT = "ApprovalTimedOut";
  public static final String BAD_CREDENTIALS = "BadCredentials";
  public static final String PERMISSION_DENIED = "PermissionDenied";
  public static final String SECRET_NOT_FOUND = "SecretNotFound";
  public static final String TABLE_NOT_FOUND = "TableNotFound";
  public static final String TABLE_NOT_REPLICABLE = "TableNotReplicable";
  public static final String UPSTREAM = "Upstream";
  public static final String SECURITY_GROUP = "SecurityGroup";
  public static final String NOT_REACHABLE = "NotReachable";

  /** The server's TLS certificate did not verify: retrying cannot fix it, configuration can. */
  public static final String TLS_VERIFICATION = "TlsVerificationFailed";

  public static final String MATERIALIZE_CONFLICT = "MaterializeConflict";
  public static final String MATERIALIZE = "Materialize";
  public static final String SOURCE_FAILED = "SourceFailed";
  public static final String AWS = "Aws";

  /**
   * Upstream DDL could not take its lock in time (a long-running transaction holds the table), or
   * another attempt is running the same DDL. Retryable: the workflow shows the message and tries
   * again later instead of queueing behind the reader and blocking every writer.
   */
  public static final String UPSTREAM_LOCK_BUSY = "UpstreamLockBusy";

  /** An existing object with onramp's name that onramp did not create: never altered. */
  public static final String FOREIGN_OBJECT = "ForeignObject";

  /** No one confirmed the SSH keys / PrivateLink principal were in place before the deadline. */
  public static final String NETWORK_NOT_CONFIRMED = "NetworkNotConfirmed";

  /** A resize meant for after the snapshot was asked for before the snapshot was committed. */
  public static final String SNAPSHOT_NOT_COMMITTED = "SnapshotNotCommitted";

  private OnboardingFailures() {}

  /** A failure retrying cannot fix; the message must say what to do. */
  public static ApplicationFailure nonRetryable(String type, String message) {
    return ApplicationFailure.newNonRetryableFailure(message, type);
  }

  public static ApplicationFailure nonRetryable(String type, String message, Throwable cause) {
    return ApplicationFailure.newBuilder()
        .setType(type)
        .setMessage(message)
        .setNonRetryable(true)
        .setCause(cause)
        .build();
  }

  /**
   * The "not yet" of a polling activity: retryable and benign, so each retry shows neither in
   * history nor as an error in the Web UI and logs; the message says what is awaited.
   */
  public static ApplicationFailure notReady(String message) {
    return ApplicationFailure.newBuilder()
        .setType(NOT_READY)
        .setMessage(message)
        .setCategory(ApplicationErrorCategory.BENIGN)
        .build();
  }
}
