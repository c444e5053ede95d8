package dev.onramp.workflows;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The fleet: starts one {@link FleetMemberWorkflow} per database while fewer than the onboarding
 * limit run, hands out reboot slots from its {@link RebootBudget}, and records how each ended.
 * Everything it learns arrives by signal, so it can continue as new whenever its history grows past
 * {@link FleetRequest#historyEventsPerRun()} while its members run on.
 */
public class FleetWorkflowImpl implements FleetWorkflow {
  private static final Logger log = Workflow.getLogger(FleetWorkflowImpl.class);

  /** The change id of starting members in batches; see docs/versioning.md. */
  static final String START_BATCHES_CHANGE = "fleet-start-batches";

  static final int START_BATCHES = 1;

  /**
   * The change id of handing reboot slots over between onboardings: grants carry a token, holders
   * are told their successor, and a slot changes hands without a workflow task of the fleet; see
   * docs/versioning.md.
   */
  static final String SLOT_HANDOFF_CHANGE = "fleet-slot-handoff";

  static final int SLOT_HANDOFF = 1;

  /**
   * The change id of continuing as new between start batches once the run's history is past its
   * bound (before it, a fleet of a thousand grew to 11,000 events while starting); see
   * docs/versioning.md.
   */
  static final String START_CONTINUES_CHANGE = "fleet-start-continues";

  static final int START_CONTINUES = 1;

  /**
   * The change id of granting reboot slots while a start batch is acknowledged: before it, the
   * start loop waited for each batch's acknowledgements before it looked at the slot requests, and
   * a fleet of 100 on a dev server granted its first slot 6 s after the first request; see
   * docs/versioning.md.
   */
  static final String GRANTS_WHILE_STARTING_CHANGE = "fleet-grants-while-starting";

  static final int GRANTS_WHILE_STARTING = 1;

  /** Not read yet in this run (the version is read at the first grant). */
  private static final int UNREAD = Integer.MIN_VALUE;

  private int slotHandoff = UNREAD;

  private int grantsWhileStarting = UNREAD;

  /**
   * At most this many member starts in one workflow task: the SDK fails a task whose code holds the
   * workflow thread for over a second (its deadlock detector), and starting hundreds of children at
   * once did, on a busy machine, again on every retry of the task.
   */
  static final int STARTS_PER_TASK = 25;

  private FleetRequest request;
  private String fleetId;
  private List<FleetMember> members = new ArrayList<>();
  private final Map<String, Integer> byOnboarding = new HashMap<>();
  private RebootBudget budget;
  private int started;
  private boolean paused;
  private boolean changed;

  /** Member starts and slot grants not yet acknowledged by the server (awaited before CAN). */
  private final List<Promise<?>> inFlight = new ArrayList<>();

  /** Problems with the request (the run fails with them); empty for a valid one. */
  private final List<String> problems;

  private int run = 1;

  /**
   * Sets the state up before any signal is handled: a member's signal can be in the first workflow
   * task of a run that continued as new.
   */
  @WorkflowInit
  public FleetWorkflowImpl(FleetRequest fleetRequest, FleetState carried) {
    this.problems = FleetValidator.problems(fleetRequest);
    if (!problems.isEmpty()) {
      return;
    }
    this.request = fleetRequest.withLimitDefaults();
    // Its own workflow id, derived from the request rather than read from the run, so that a
    // replay (WorkflowReplayer gives the run an id of its own) issues the same member ids.
    this.fleetId = FleetWorkflows.workflowId(request.name());
    this.budget = new RebootBudget(request.limits());
    if (carried == null) {
      for (OnboardingRequest r : request.databases()) {
        OnboardingRequest d = r.withDefaults();
        members.add(
            new FleetMember(
                OnboardingWorkflows.workflowId(d),
                d.region(),
                d.dbInstanceId(),
                d.database(),
                FleetMemberState.QUEUED,
                null));
      }
    } else {
      members = new ArrayList<>(carried.members());
      started = carried.started();
      paused = carried.paused();
      budget.restore(carried.slotHolders(), carried.slotQueue());
      budget.restoreHandovers(
          carried.slotSuccessors(), carried.slotTokens(), carried.lastSlotToken());
      run = carried.run() + 1;
    }
    for (int i = 0; i < members.size(); i++) {
      byOnboarding.put(members.get(i).workflowId(), i);
    }
  }

  @Override
  public FleetResult run(FleetRequest fleetRequest, FleetState carried) {
    if (!problems.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          new InvalidRequestException(problems).getMessage(), OnboardingFailures.INVALID_REQUEST);
    }
    try {
      while (true) {
        changed = false;
        startMembers();
        grantSlots();
        if (allFinished()) {
          break;
        }
        if (Workflow.getInfo().getHistoryLength() > request.historyEventsPerRun()) {
          continueAsNew();
        }
        Workflow.await(() -> changed);
      }
    } catch (CanceledFailure e) {
      Workflow.newDetachedCancellationScope(this::cancelRunningMembers).run();
      throw e;
    }
    FleetResult result =
        new FleetResult(
            request.name(),
            count(FleetMemberState.SUCCEEDED),
            count(FleetMemberState.FAILED) + count(FleetMemberState.CANCELLED),
            List.copyOf(members));
    log.info("fleet {} finished:\n{}", request.name(), result.table());
    return result;
  }

  private void startMembers() {
    boolean batched =
        started < members.size()
            && Workflow.getVersion(START_BATCHES_CHANGE, Workflow.DEFAULT_VERSION, START_BATCHES)
                >= START_BATCHES;
    List<Promise<Object>> batch = new ArrayList<>();
    long running = running();
    while (!paused && started < members.size() && running < request.limits().onboardings()) {
      if (batched && batch.size() == STARTS_PER_TASK) {
        // Members started earlier may be asking for reboot slots while the rest start.
        grantSlots();
        // Ends this workflow task; the next batch starts once the server took this one.
        awaitStarted(Promise.allOf(batch));
        batch.clear();
        // Read only when the bound is passed: runs recorded before the change never passed it
        // here, or replay without the marker and go on starting.
        if (Workflow.getInfo().getHistoryLength() > request.historyEventsPerRun()
            && Workflow.getVersion(
                    START_CONTINUES_CHANGE, Workflow.DEFAULT_VERSION, START_CONTINUES)
                >= START_CONTINUES) {
          continueAsNew();
        }
        running = running();
        continue; // paused (a signal) or a member ended meanwhile: check again
      }
      running++;
      int index = started++;
      FleetMember m = members.get(index);
      members.set(index, m.with(FleetMemberState.RUNNING, null));
      FleetMemberWorkflow member =
          Workflow.newChildWorkflowStub(
              FleetMemberWorkflow.class, FleetWorkflows.memberOptions(fleetId, index));
      Async.procedure(member::onboard, fleetId, index, request.databases().get(index));
      Promise<WorkflowExecution> start = Workflow.getWorkflowExecution(member);
      Promise<Object> handled =
          start.handle(
              (execution, failure) -> {
                if (failure != null) {
                  finished(
                      new FleetMemberOutcome(
                          index, FleetMemberState.FAILED, "not started: " + failure.getMessage()));
                }
                return null;
              });
      inFlight.add(handled);
      batch.add(handled);
    }
  }

  /**
   * Waits for a start batch's acknowledgements; since {@code fleet-grants-while-starting} it grants
   * the slots asked for meanwhile (starting a thousand members takes minutes, and the members
   * started first ask for slots long before the last ones start).
   */
  private void awaitStarted(Promise<Void> batch) {
    if (grantsWhileStarting == UNREAD) {
      grantsWhileStarting =
          Workflow.getVersion(
              GRANTS_WHILE_STARTING_CHANGE, Workflow.DEFAULT_VERSION, GRANTS_WHILE_STARTING);
    }
    if (grantsWhileStarting < GRANTS_WHILE_STARTING) {
      batch.get();
      return;
    }
    while (!batch.isCompleted()) {
      changed = false;
      Workflow.await(() -> changed || batch.isCompleted());
      grantSlots();
    }
    // What changed meanwhile (a pause, a member that ended) is looked at again by the caller.
    changed = true;
  }

  private void grantSlots() {
    if (paused) {
      return;
    }
    for (RebootSlotRequest r : budget.grant()) {
      setState(r.onboardingId(), FleetMemberState.REBOOTING, null);
      RebootSlotGrant grant = new RebootSlotGrant(fleetId, budget.token(r.onboardingId()), fleetId);
      signal(
          r.onboardingId(),
          handsOver() ? RebootSlotHolder.GRANT : RebootSlotHolder.GRANTED,
          handsOver() ? grant : fleetId,
          "reboot slot");
    }
    if (slotHandoff != UNREAD && handsOver()) {
      for (RebootSlotSuccessor s : budget.assignSuccessors()) {
        signal(s.holderId(), RebootSlotHolder.SUCCESSOR, s, "successor " + s.next().onboardingId());
      }
    }
  }

  /**
   * Whether this run hands slots over ({@code fleet-slot-handoff}); read at the first grant, the
   * first command that differs, so fleets recorded before it replay their own way.
   */
  private boolean handsOver() {
    if (slotHandoff == UNREAD) {
      slotHandoff =
          Workflow.getVersion(SLOT_HANDOFF_CHANGE, Workflow.DEFAULT_VERSION, SLOT_HANDOFF);
    }
    return slotHandoff >= SLOT_HANDOFF;
  }

  /** Signals an onboarding; one that is gone (terminated) frees its slot. */
  private void signal(String onboardingId, String name, Object arg, String what) {
    Promise<Void> sent =
        Async.procedure(
            () -> Workflow.newUntypedExternalWorkflowStub(onboardingId).signal(name, arg));
    inFlight.add(
        sent.handle(
            (ok, failure) -> {
              if (failure != null) {
                log.warn("{} for {} not delivered: {}", what, onboardingId, failure);
                budget.release(onboardingId);
                changed = true;
              }
              return null;
            }));
  }

  private void continueAsNew() {
    Workflow.await(() -> inFlight.stream().allMatch(Promise::isCompleted));
    log.info(
        "fleet {} continues as new after {} history events (run {})",
        request.name(),
        Workflow.getInfo().getHistoryLength(),
        run);
    FleetState state =
        new FleetState(
            List.copyOf(members),
            started,
            paused,
            budget.snapshot(true),
            budget.snapshot(false),
            run,
            budget.successorsSnapshot(),
            budget.tokensSnapshot(),
            budget.lastToken());
    Workflow.continueAsNew(request, state);
  }

  private void cancelRunningMembers() {
    for (int i = 0; i < started; i++) {
      if (!members.get(i).state().finished()) {
        try {
          Workflow.newUntypedExternalWorkflowStub(FleetWorkflows.memberId(fleetId, i)).cancel();
        } catch (RuntimeException e) {
          log.warn("could not cancel member {}: {}", i, e.getMessage());
        }
      }
    }
  }

  private boolean allFinished() {
    return started == members.size() && members.stream().allMatch(m -> m.state().finished());
  }

  private long running() {
    return members.subList(0, started).stream().filter(m -> !m.state().finished()).count();
  }

  private int count(FleetMemberState state) {
    return (int) members.stream().filter(m -> m.state() == state).count();
  }

  private void setState(String onboardingId, FleetMemberState state, String detail) {
    Integer i = byOnboarding.get(onboardingId);
    if (i != null && !members.get(i).state().finished()) {
      members.set(i, members.get(i).with(state, detail));
    }
  }

  private void finished(FleetMemberOutcome outcome) {
    FleetMember m = members.get(outcome.index());
    if (m.state().finished()) {
      return;
    }
    members.set(outcome.index(), m.with(outcome.state(), outcome.detail()));
    budget.release(m.workflowId());
    changed = true;
  }

  @Override
  public FleetProgress progress() {
    Map<FleetMemberState, Integer> counts = new EnumMap<>(FleetMemberState.class);
    for (FleetMember m : members) {
      counts.merge(m.state(), 1, Integer::sum);
    }
    return new FleetProgress(
        request == null ? null : request.name(),
        paused,
        request == null ? null : request.limits(),
        counts,
        budget == null ? List.of() : budget.holders(),
        List.copyOf(members));
  }

  @Override
  public void pause() {
    paused = true;
    changed = true;
  }

  @Override
  public void resume() {
    paused = false;
    changed = true;
  }

  @Override
  public void requestRebootSlot(RebootSlotRequest slot) {
    if (budget == null) {
      return;
    }
    budget.request(slot);
    if (budget.isWaiting(slot.onboardingId())) {
      setState(slot.onboardingId(), FleetMemberState.WAITING_FOR_REBOOT_SLOT, null);
    }
    changed = true;
  }

  @Override
  public void releaseRebootSlot(String onboardingId) {
    if (budget == null) {
      return;
    }
    budget.release(onboardingId);
    setState(onboardingId, FleetMemberState.RUNNING, null);
    changed = true;
  }

  @Override
  public void rebootSlotHandedOver(RebootSlotHandover handover) {
    if (budget == null) {
      return;
    }
    setState(handover.from(), FleetMemberState.RUNNING, null);
    if (budget.handedOver(handover.from(), handover.to())) {
      setState(handover.to(), FleetMemberState.REBOOTING, null);
    }
    changed = true;
  }

  @Override
  public void memberFinished(FleetMemberOutcome outcome) {
    if (budget == null || outcome.index() < 0 || outcome.index() >= members.size()) {
      return;
    }
    finished(outcome);
  }
}
