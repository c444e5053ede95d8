package dev.onramp.workflows;

import dev.onramp.activities.materialize.SourceInfo;
import dev.onramp.activities.upstream.UpstreamObjects;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Instant;

/** Steps 6–8: the upstream objects, the network path, the Materialize objects. */
final class ObjectSteps {
  private final Preflighted found;
  private final OnboardingRequest request;
  private final ProgressTracker progress;
  private final ResourceCalls calls;
  private SecretRef replicationPassword;

  /** {@code found}: what preflight learned, with the instance as the reboot path last read it. */
  ObjectSteps(Preflighted found, ProgressTracker progress, ResourceCalls calls) {
    this.found = found;
    this.request = found.request();
    this.progress = progress;
    this.calls = calls;
  }

  /** Step 6: publication, replication user with a generated password, grants. */
  UpstreamObjects upstreamObjects() {
    progress.start(OnboardingStep.UPSTREAM_OBJECTS, "storing the replication password");
    SecretRef password = calls.replicationSecret();
    progress.running(OnboardingStep.UPSTREAM_OBJECTS, "publication, user and grants");
    UpstreamObjects objects = untilLocked(password);
    progress.done(
        OnboardingStep.UPSTREAM_OBJECTS,
        "publication "
            + objects.publication()
            + " with "
            + objects.tables().size()
            + " table(s), user "
            + objects.replicationUser()
            + (objects.note() == null ? "" : "; note: " + objects.note()));
    this.replicationPassword = password;
    return objects;
  }

  /**
   * The upstream DDL gives up on a table lock it cannot get within its lock_timeout (so that it
   * never queues behind a long reader and blocks writers); the workflow shows that wait and tries
   * again every AWS poll interval, for at most the AWS wait bound.
   */
  private UpstreamObjects untilLocked(SecretRef password) {
    Instant giveUp = now().plus(request.waits().awsMaxWait());
    while (true) {
      try {
        return calls.upstream(password);
      } catch (ActivityFailure f) {
        if (!(f.getCause() instanceof ApplicationFailure app)
            || !OnboardingFailures.UPSTREAM_LOCK_BUSY.equals(app.getType())) {
          throw f;
        }
        if (!now().isBefore(giveUp)) {
          throw OnboardingFailures.nonRetryable(
              OnboardingFailures.UPSTREAM_LOCK_BUSY,
              "gave up after "
                  + HumanDurations.format(request.waits().awsMaxWait())
                  + "; last attempt said: "
                  + app.getOriginalMessage()
                  + ". Find the long-running transaction in pg_stat_activity, then run onramp"
                  + " again",
              app);
        }
        // progress.waiting says "waiting for " itself.
        progress.waiting(
            OnboardingStep.UPSTREAM_OBJECTS,
            app.getOriginalMessage().replaceFirst("^waiting for ", ""));
        Workflow.newTimer(
                request.waits().awsPollInterval(),
                WebUiMetadata.timer("retry after the table lock wait"))
            .get();
        progress.running(OnboardingStep.UPSTREAM_OBJECTS, "publication, user and grants");
      }
    }
  }

  /** Step 7: let Materialize's egress IPs in, or leave the path to the tunnel / PrivateLink. */
  void network() {
    progress.start(OnboardingStep.NETWORK, "network mode " + request.networkMode());
    if (request.networkMode() != NetworkMode.EGRESS_IPS) {
      progress.skipped(
          OnboardingStep.NETWORK,
          "network mode " + request.networkMode() + ": no security group change");
      return;
    }
    if (found.mz().egressCidrs().isEmpty()) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.MATERIALIZE,
          "Materialize reports no egress IPs (mz_egress_ips is empty); choose networkMode"
              + " SSH_TUNNEL, PRIVATELINK or NONE");
    }
    ResourceCalls.IngressCount count = calls.ingress(found.instance(), found.mz().egressCidrs());
    progress.done(
        OnboardingStep.NETWORK,
        count.added() + " rule(s) added, " + count.alreadyPresent() + " already present");
  }

  /** Step 8: cluster, secret, connection, source. */
  SourceInfo materializeObjects(UpstreamObjects upstream) {
    MaterializeTarget m = request.materialize();
    progress.start(OnboardingStep.MATERIALIZE_OBJECTS, "cluster " + m.cluster());
    calls.cluster();
    calls.materializeSecret(replicationPassword);
    progress.running(OnboardingStep.MATERIALIZE_OBJECTS, "connection " + m.connection());
    calls.connection(found.connectionSpec());
    progress.running(OnboardingStep.MATERIALIZE_OBJECTS, "source " + m.source());
    SourceInfo source = calls.source(found.sourceSpec(upstream.tableNames()));
    progress.done(
        OnboardingStep.MATERIALIZE_OBJECTS,
        "source " + source.name() + " feeding " + source.relations().size() + " relation(s)");
    return source;
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }
}
