package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Outcome;
import dev.onramp.activities.ledger.PlanAction;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.activities.ledger.RemovalOutcome;
import dev.onramp.activities.ledger.ResourceKind;
import dev.onramp.activities.verification.ReverificationActivitiesImpl;
import dev.onramp.activities.verification.ScheduleRemoval;
import dev.onramp.activities.verification.ScheduleRequest;
import dev.onramp.activities.verification.ScheduleResource;
import dev.onramp.cli.demo.TemporalDevServer;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.TableSelection;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The re-verification schedule as a resource, against a real Temporal server. */
class ScheduleResourceE2eTest {
  @TempDir Path dir;

  @Test
  void convergeCreatesReusesAndChangesItAndRemovalDeletesItOnce() throws Exception {
    try (TemporalDevServer temporal =
        TemporalDevServer.start(
            E2eEnvironment.temporalCli(), Files.createDirectories(dir.resolve("t")), false)) {
      ReverificationActivitiesImpl activities =
          new ReverificationActivitiesImpl(temporal.client(), "onramp-test");
      ScheduleClient schedules =
          ScheduleClient.newInstance(
              temporal.client().getWorkflowServiceStubs(),
              ScheduleClientOptions.newBuilder().build());
      OnboardingRequest request =
          OnboardingRequest.of("us-east-1", "db-9", "shop", TableSelection.tables("orders"));

      // Planning (the resource's own plan) changes nothing.
      ScheduleResource resource = new ScheduleResource(schedules, "onramp-test");
      ScheduleRequest hourly = new ScheduleRequest(request, Duration.ofHours(1));
      assertThat(resource.plan(hourly).action()).isEqualTo(PlanAction.CREATE);
      assertThat(resource.inspect(hourly)).isEmpty();

      LedgerEntry created =
          activities.convergeSchedule(new ScheduleRequest(request, Duration.ofHours(1)));
      assertThat(created.kind()).isEqualTo(ResourceKind.REVERIFICATION_SCHEDULE);
      assertThat(created.identifier()).isEqualTo("verify/us-east-1/db-9/shop");
      assertThat(created.outcome()).isEqualTo(Outcome.CREATED);

      assertThat(
              activities
                  .convergeSchedule(new ScheduleRequest(request, Duration.ofHours(1)))
                  .outcome())
          .isEqualTo(Outcome.REUSED);
      assertThat(resource.plan(hourly).action()).isEqualTo(PlanAction.REUSE);
      assertThat(resource.drift(hourly)).isEmpty();
      LedgerEntry changed =
          activities.convergeSchedule(new ScheduleRequest(request, Duration.ofMinutes(30)));
      assertThat(changed.outcome()).isEqualTo(Outcome.CHANGED);
      assertThat(changed.previous()).isEqualTo("every PT1H");

      Removal removed = activities.removeSchedule(new ScheduleRemoval(created));
      assertThat(removed.outcome()).isEqualTo(RemovalOutcome.REMOVED);
      assertThatThrownBy(() -> schedules.getHandle(created.identifier()).describe())
          .rootCause()
          .hasMessageContaining("NOT_FOUND");
      assertThat(activities.removeSchedule(new ScheduleRemoval(created)).outcome())
          .isEqualTo(RemovalOutcome.ALREADY_GONE);
    }
  }
}
