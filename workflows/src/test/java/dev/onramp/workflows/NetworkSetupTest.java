package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.activities.network.TunnelActivities;
import dev.onramp.activities.network.TunnelCheck;
import dev.onramp.activities.network.TunnelConnection;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Step 7 in network mode SSH_BASTION: the confirmation loop, with the tunnel activity mocked. */
class NetworkSetupTest {
  private static final String KEY_1 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIone materialize";
  private static final String KEY_2 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAItwo materialize";

  TestWorkflowEnvironment env;
  WorkflowClient client;
  FakeWorld world;
  TunnelActivities tunnels;

  @BeforeEach
  void start() {
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setInitialTimeMillis(WorkflowTestSupport.START.toEpochMilli())
                .build());
    OnboardingWorkflows.SEARCH_ATTRIBUTES.forEach(env::registerSearchAttribute);
    Worker worker = env.newWorker(WorkflowTestSupport.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(OnboardingWorkflowImpl.class);
    world = new FakeWorld(env);
    tunnels = mock(TunnelActivities.class, withSettings().withoutAnnotations());
    when(tunnels.convergeTunnelConnection(any()))
        .thenReturn(
            new TunnelConnection(
                "shop_connection_ssh_tunnel",
                KEY_1,
                KEY_2,
                null,
                LedgerEntry.created(ResourceKind.MZ_CONNECTION, "shop_connection_ssh_tunnel")));
    Object[] all = Arrays.copyOf(world.activities(), world.activities().length + 1);
    all[all.length - 1] = tunnels;
    worker.registerActivitiesImplementations(all);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private OnboardingWorkflow startBastion(Duration confirmationTimeout) {
    OnboardingRequest request =
        WorkflowTestSupport.request(RebootPolicy.IMMEDIATE)
            .withNetworkMode(NetworkMode.SSH_BASTION)
            .withNetwork(NetworkPath.sshBastion("bastion.example.com", 22, "ec2-user"))
            .withWaits(
                new WaitSettings(
                    Duration.ofSeconds(30),
                    Duration.ofHours(3),
                    Duration.ofSeconds(5),
                    Duration.ofHours(12),
                    confirmationTimeout));
    OnboardingWorkflow wf =
        client.newWorkflowStub(
            OnboardingWorkflow.class,
            OnboardingWorkflows.options(request, WorkflowTestSupport.TASK_QUEUE));
    WorkflowClient.start(wf::onboard, request);
    return wf;
  }

  private OnboardingProgress await(
      OnboardingWorkflow wf, java.util.function.Predicate<OnboardingProgress> p) {
    for (int i = 0; i < 200; i++) {
      OnboardingProgress now = wf.progress();
      if (p.test(now)) {
        return now;
      }
      env.sleep(Duration.ofSeconds(10));
    }
    throw new AssertionError("never reached: " + wf.progress());
  }

  @Test
  void aFailedValidationSaysWhatToFixAndWaitsForANewConfirmation() {
    when(tunnels.validateTunnelConnection(any()))
        .thenReturn(
            TunnelCheck.failed(
                "failed to connect to the remote host: ec2-user@bastion.example.com: Permission"
                    + " denied (publickey).",
                "add both public keys of connection shop_connection_ssh_tunnel to"
                    + " ~ec2-user/.ssh/authorized_keys"))
        .thenReturn(TunnelCheck.passed());
    OnboardingWorkflow wf = startBastion(Duration.ofHours(24));

    OnboardingProgress waiting =
        await(wf, p -> p.status() == OnboardingStatus.WAITING_FOR_NETWORK_CONFIRMATION);
    assertThat(waiting.step(OnboardingStep.NETWORK).message())
        .contains("~ec2-user/.ssh/authorized_keys on the bastion bastion.example.com")
        .contains(KEY_1)
        .contains(KEY_2);
    assertThat(world.personNotices)
        .anySatisfy(n -> assertThat(n.text()).contains("onramp confirm-network").contains(KEY_1));
    // Parameter group, reboot, upstream done; nothing in Materialize before the confirmation.
    verify(tunnels, never()).validateTunnelConnection(any());

    assertThat(wf.confirmNetwork("alice").by()).isEqualTo("alice");
    OnboardingProgress failed =
        await(
            wf,
            p ->
                p.status() == OnboardingStatus.WAITING_FOR_NETWORK_CONFIRMATION
                    && p.step(OnboardingStep.NETWORK).message().contains("validation failed"));
    assertThat(failed.step(OnboardingStep.NETWORK).message())
        .contains("Permission denied (publickey)")
        .contains("fix: add both public keys");

    wf.confirmNetwork("alice");
    OnboardingResult result =
        io.temporal.client.WorkflowStub.fromTyped(wf).getResult(OnboardingResult.class);
    verify(tunnels, times(2)).validateTunnelConnection(any());
    assertThat(result.ledger())
        .anySatisfy(e -> assertThat(e.identifier()).isEqualTo("shop_connection_ssh_tunnel"));
    assertThat(wf.progress().step(OnboardingStep.NETWORK).message())
        .contains("validated after 2 confirmation(s)");
  }

  @Test
  void aConfirmationWhenNoneIsPendingIsRefusedAndNoConfirmationEndsTheRunAtTheDeadline() {
    OnboardingWorkflow wf = startBastion(Duration.ofMinutes(30));
    assertThatThrownBy(() -> wf.confirmNetwork("early"))
        .isInstanceOf(WorkflowUpdateException.class);
    await(wf, p -> p.status() == OnboardingStatus.WAITING_FOR_NETWORK_CONFIRMATION);
    env.sleep(Duration.ofMinutes(31));
    assertThatThrownBy(
            () -> io.temporal.client.WorkflowStub.fromTyped(wf).getResult(OnboardingResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(
            e -> {
              ApplicationFailure f = (ApplicationFailure) e.getCause();
              assertThat(f.getType()).isEqualTo(OnboardingFailures.NETWORK_NOT_CONFIRMED);
              assertThat(f.getOriginalMessage())
                  .contains("no one confirmed the network path within 30m")
                  .contains("authorized_keys");
            });
    verify(tunnels, never()).validateTunnelConnection(any());
  }
}
