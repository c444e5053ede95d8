package dev.onramp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.workflows.FleetLimits;
import dev.onramp.workflows.FleetMemberWorkflow;
import dev.onramp.workflows.FleetRequest;
import dev.onramp.workflows.FleetWorkflowImpl;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.RebootPolicy;
import dev.onramp.workflows.TableSelection;
import dev.onramp.workflows.client.FleetClient;
import dev.onramp.workflows.client.TemporalConnection;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code onramp fleet status|pause|resume} against a Temporal server (the SDK's, port-bound) and
 * the real fleet workflow, whose members are parked (they never end), so the fleet stays where the
 * commands put it: one member running (the onboarding limit), two queued.
 */
class FleetCommandTest {
  static final String QUEUE = "fleet-command-test";
  static int port;
  static TestServer.PortBoundTestServer server;
  static WorkflowServiceStubs service;
  static WorkerFactory workers;

  /** A member that starts no onboarding and never ends. */
  public static class ParkedMember implements FleetMemberWorkflow {
    @Override
    public void onboard(String fleetId, int index, OnboardingRequest request) {
      Workflow.await(() -> false);
    }
  }

  @BeforeAll
  static void start() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    // Time skipping locked: with it, an idle server skips to the fleet's run timeout.
    server = TestServer.createPortBoundServer(port, true);
    service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + port).build());
    WorkflowClient client =
        WorkflowClient.newInstance(
            service,
            WorkflowClientOptions.newBuilder()
                .setDataConverter(TemporalConnection.dataConverter(null))
                .build());
    workers = WorkerFactory.newInstance(client);
    workers
        .newWorker(QUEUE)
        .registerWorkflowImplementationTypes(FleetWorkflowImpl.class, ParkedMember.class);
    workers.start();
    List<OnboardingRequest> dbs = List.of(db("db-1"), db("db-2"), db("db-3"));
    new FleetClient(client, QUEUE)
        .start(new FleetRequest("steered", new FleetLimits(1, 1, null), dbs), "tester");
  }

  @AfterAll
  static void stop() {
    workers.shutdownNow();
    service.shutdownNow();
    server.close();
  }

  static OnboardingRequest db(String instance) {
    return new OnboardingRequest(
        "us-east-1",
        instance,
        "shop",
        TableSelection.tables("orders"),
        null,
        null,
        null,
        null,
        null,
        null,
        RebootPolicy.IMMEDIATE,
        null,
        null,
        null,
        null);
  }

  private record Run(int code, String out, String err) {}

  private Run run(String... args) {
    StringWriter err = new StringWriter();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    CommandLine cmd = Onramp.commandLine();
    cmd.setErr(new PrintWriter(err));
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--temporal-address";
    all[args.length + 1] = "127.0.0.1:" + port;
    all[args.length + 2] = "--task-queue";
    all[args.length + 3] = QUEUE;
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      code = cmd.execute(all);
    } finally {
      System.setOut(original);
    }
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
  }

  @Test
  void statusPauseAndResumeSteerARunningFleet() throws InterruptedException {
    Run status = run("fleet", "status", "steered");
    for (int i = 0; i < 50 && !status.out().contains("1 running"); i++) {
      Thread.sleep(100); // the fleet's first workflow task starts the first member
      status = run("fleet", "status", "steered");
    }
    assertThat(status.code()).as(status.err()).isZero();
    assertThat(status.out())
        .contains("fleet/steered  running")
        .contains("limits: 1 onboardings, 1 reboots at once")
        .contains("2 queued, 1 running")
        .contains("REGION")
        .contains("db-2")
        .contains("QUEUED");

    Run pause = run("fleet", "pause", "fleet/steered");
    assertThat(pause.code()).as(pause.err()).isZero();
    assertThat(pause.out()).contains("fleet/steered: paused");
    Run paused = run("fleet", "status", "steered", "-o", "json");
    assertThat(paused.out()).contains("\"paused\" : true").contains("\"QUEUED\" : 2");

    Run resume = run("fleet", "resume", "steered");
    assertThat(resume.code()).as(resume.err()).isZero();
    assertThat(run("fleet", "status", "steered").out()).contains("fleet/steered  running");
  }

  @Test
  void unknownAndMalformedFleetsAreNamed() {
    Run unknown = run("fleet", "pause", "no-such-fleet");
    assertThat(unknown.code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(unknown.err()).contains("no running fleet fleet/no-such-fleet");
    Run missing = run("fleet", "status", "no-such-fleet");
    assertThat(missing.code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(missing.err()).contains("no fleet fleet/no-such-fleet");
    Run bad = run("fleet", "resume", "Bad_Name;");
    assertThat(bad.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(bad.err()).contains("FLEET: 'Bad_Name;' is not a fleet name");
  }
}
