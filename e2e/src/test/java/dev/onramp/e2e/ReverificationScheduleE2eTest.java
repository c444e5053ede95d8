package dev.onramp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.activities.verification.ReverificationActivitiesImpl;
import dev.onramp.cli.demo.TemporalDevServer;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.TableSelection;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The re-verification schedule against a real Temporal server (schedules need one). */
class ReverificationScheduleE2eTest {
  @TempDir Path dir;

  @Test
  void anUpdateKeepsTheOperatorsPauseAndTurningItOffDeletesIt() throws Exception {
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
          OnboardingRequest.of("us-east-1", "db-1", "shop", TableSelection.tables("orders"));
      String id = activities.ensureSchedule(request, Duration.ofHours(1));

      schedules.getHandle(id).pause("investigating drift alerts");
      assertThat(activities.ensureSchedule(request, Duration.ofMinutes(30))).isEqualTo(id);

      ScheduleDescription d = schedules.getHandle(id).describe();
      assertThat(d.getSchedule().getState().isPaused()).isTrue();
      assertThat(d.getSchedule().getState().getNote()).isEqualTo("investigating drift alerts");
      assertThat(d.getSchedule().getSpec().getIntervals())
          .extracting(ScheduleIntervalSpec::getEvery)
          .containsExactly(Duration.ofMinutes(30));

      assertThat(activities.deleteSchedule(request)).isTrue();
      assertThat(activities.deleteSchedule(request)).isFalse();
      assertThat(schedules.listSchedules().map(s -> s.getScheduleId()).toList()).doesNotContain(id);
    }
  }
}
