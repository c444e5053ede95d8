package dev.onramp.workflows;

import dev.onramp.activities.network.TunnelActivities;
import dev.onramp.activities.network.TunnelCheck;
import dev.onramp.activities.network.TunnelConnection;
import dev.onramp.activities.network.TunnelSpec;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;

/**
 * Step 7 in network modes SSH_BASTION and PRIVATELINK_SERVICE: onramp creates the Materialize SSH
 * TUNNEL or AWS PRIVATELINK connection, shows where its public keys or its principal go, waits for
 * a person's confirmation, and runs {@code VALIDATE CONNECTION}; a failed validation says what to
 * fix and waits for a new confirmation, all within {@code waits.approvalTimeout} from the first
 * wait. The PostgreSQL connection then goes through it ({@link Preflighted#connectionSpec}).
 * Versioned by {@value #CHANGE} (docs/versioning.md).
 */
final class NetworkSetup {
  static final String CHANGE = "network-setup";

  private final Preflighted found;
  private final OnboardingRequest request;
  private final ProgressTracker progress;
  private final NetworkConfirmation confirmation;
  private final TunnelActivities tunnels;

  NetworkSetup(Preflighted found, ProgressTracker progress, NetworkConfirmation confirmation) {
    this.found = found;
    this.request = found.request();
    this.progress = progress;
    this.confirmation = confirmation;
    this.tunnels =
        Workflow.newActivityStub(
            TunnelActivities.class,
            OnboardingActivities.call(OnboardingActivities.MATERIALIZE_CALL_BOUND));
  }

  static boolean appliesTo(OnboardingRequest request) {
    return request.networkMode() == NetworkMode.SSH_BASTION
        || request.networkMode() == NetworkMode.PRIVATELINK_SERVICE;
  }

  /** The connection a request's network path asks for. */
  static TunnelSpec spec(Preflighted found) {
    OnboardingRequest r = found.request();
    NetworkPath path = r.network();
    String name = found.tunnelConnectionName();
    return r.networkMode() == NetworkMode.SSH_BASTION
        ? TunnelSpec.ssh(name, path.sshHost(), path.sshPortOrDefault(), path.sshUser())
        : TunnelSpec.privatelink(
            r.region(), name, path.privatelinkServiceName(), path.availabilityZones());
  }

  /** Preflight's check: the bastion resolves, the endpoint service exists. */
  static void check(Preflighted found) {
    Workflow.getVersion(CHANGE, Workflow.DEFAULT_VERSION, 1);
    Workflow.newActivityStub(
            TunnelActivities.class, OnboardingActivities.call(OnboardingActivities.AWS_CALL_BOUND))
        .checkTunnelTarget(spec(found));
  }

  void run() {
    Workflow.getVersion(CHANGE, Workflow.DEFAULT_VERSION, 1);
    TunnelSpec spec = spec(found);
    progress.start(OnboardingStep.NETWORK, "network mode " + request.networkMode());
    progress.running(OnboardingStep.NETWORK, "connection " + spec.name());
    TunnelConnection made = tunnels.convergeTunnelConnection(spec);
    if (made.entry() != null) {
      progress.record(made.entry());
    }
    String instructions = instructions(spec, made);
    Duration timeout = request.waits().approvalTimeout();
    Instant deadline = now().plus(timeout);
    String lastFailure = null;
    int confirmations = 0;
    while (true) {
      confirmation.open();
      String what =
          (lastFailure == null ? "" : "validation failed: " + lastFailure + "; ")
              + "confirmation that "
              + instructions
              + " (onramp confirm-network, the confirmNetwork update, or the networkConfirmed"
              + " signal from the Web UI) until "
              + deadline;
      progress.status(OnboardingStatus.WAITING_FOR_NETWORK_CONFIRMATION);
      progress.waiting(OnboardingStep.NETWORK, what);
      PersonNotices.networkConfirmationPending(
          spec.name(),
          (lastFailure == null ? "" : "validation failed: " + lastFailure + "\n"),
          instructions);
      Duration left = Duration.between(now(), deadline);
      boolean confirmed =
          !left.isNegative()
              && (Workflow.await(left, () -> confirmation.confirmed() != null)
                  || confirmation.confirmed() != null);
      confirmation.close();
      if (!confirmed) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.NETWORK_NOT_CONFIRMED,
            "no one confirmed the network path within "
                + HumanDurations.format(timeout)
                + (lastFailure == null ? "" : "; the last validation said: " + lastFailure)
                + ". Connection "
                + spec.name()
                + " stays in Materialize; "
                + instructions
                + ", then start the onboarding again");
      }
      confirmations++;
      progress.status(OnboardingStatus.RUNNING);
      progress.running(
          OnboardingStep.NETWORK,
          "VALIDATE CONNECTION "
              + spec.name()
              + " (confirmed by "
              + confirmation.confirmed().by()
              + ")");
      TunnelCheck check = tunnels.validateTunnelConnection(spec);
      if (check.ok()) {
        progress.done(
            OnboardingStep.NETWORK,
            "connection "
                + spec.name()
                + " validated after "
                + confirmations
                + " confirmation(s); no security group change");
        return;
      }
      lastFailure = check.error() + (check.fix() == null ? "" : "; fix: " + check.fix());
    }
  }

  /** Where the keys or the principal go, as a person follows it. */
  static String instructions(TunnelSpec spec, TunnelConnection made) {
    if (spec.overSsh()) {
      return "both public keys of connection "
          + spec.name()
          + " are in ~"
          + spec.sshUser()
          + "/.ssh/authorized_keys on the bastion "
          + spec.sshHost()
          + " (port "
          + spec.sshPort()
          + "), one per line:\n"
          + made.publicKey1()
          + "\n"
          + made.publicKey2()
          + "\n";
    }
    return "the principal "
        + made.principal()
        + " is allowed on the VPC endpoint service "
        + spec.serviceName()
        + " (aws ec2 modify-vpc-endpoint-service-permissions --service-id <vpce-svc-id>"
        + " --add-allowed-principals "
        + made.principal()
        + ") and, if the service requires acceptance, Materialize's endpoint connection is"
        + " accepted (aws ec2 accept-vpc-endpoint-connections)";
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }
}
