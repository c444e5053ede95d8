package dev.onramp.activities.rds;

import dev.onramp.activities.aws.AwsClients;
import dev.onramp.activities.aws.AwsFailures;
import dev.onramp.activities.ledger.LedgerEntry;
import dev.onramp.activities.ledger.Removal;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.Ownership;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.ApplyMethod;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBParameterGroup;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.DbParameterGroupAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbParameterGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.Event;
import software.amazon.awssdk.services.rds.model.Parameter;
import software.amazon.awssdk.services.rds.model.PendingModifiedValues;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.rds.model.SourceType;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * {@link RdsActivities} with the AWS SDK v2. Facts it relies on (shared/reference/aws-rds.md):
 * default groups cannot be modified, {@code rds.logical_replication} is static (pending-reboot
 * only), a new group's static parameters apply only at a reboot without failover, and
 * DBInstanceNotFound is the answer for an unknown identifier.
 */
public final class RdsActivitiesImpl implements RdsActivities {
  private static final Logger log = LoggerFactory.getLogger(RdsActivitiesImpl.class);
  static final String PARAMETER = "rds.logical_replication";

  /** States from which an instance will not become available by waiting. */
  private static final Set<String> TERMINAL =
      Set.of(
          "failed",
          "deleting",
          "deleted",
          "stopped",
          "stopping",
          "incompatible-parameters",
          "incompatible-restore",
          "incompatible-network",
          "inaccessible-encryption-credentials",
          "storage-full");

  /** DescribeEvents messages that mean the instance went through a reboot. */
  private static final Pattern REBOOT_EVENT =
      Pattern.compile("(?i).*\\b(restarted|rebooted|rebooting|shutdown)\\b.*");

  /** RDS-EVENT-0006, written when a restart is complete. */
  private static final Pattern RESTARTED_EVENT = Pattern.compile("(?i).*\\brestarted\\b.*");

  private final AwsClients aws;

  public RdsActivitiesImpl(AwsClients aws) {
    this.aws = aws;
  }

  private RdsClient rds(String region) {
    return aws.rds(region);
  }

  // ------------------------------------------------------------------ describe

  @Override
  public DbInstanceInfo describeInstance(String region, String dbInstanceId) {
    return toInfo(instance(region, dbInstanceId));
  }

  private DBInstance instance(String region, String id) {
    try {
      return rds(region).describeDBInstances(b -> b.dbInstanceIdentifier(id)).dbInstances().get(0);
    } catch (DbInstanceNotFoundException e) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.INSTANCE_NOT_FOUND,
          "DB instance "
              + id
              + " not found in "
              + region
              + "; check the instance identifier and the region",
          e);
    } catch (RdsException e) {
      throw AwsFailures.translate("DescribeDBInstances " + id, e);
    }
  }

  static DbInstanceInfo toInfo(DBInstance i) {
    return new DbInstanceInfo(
        i.dbInstanceIdentifier(),
        i.engine(),
        i.engineVersion(),
        i.dbInstanceStatus(),
        i.endpoint() == null ? null : i.endpoint().address(),
        i.endpoint() == null || i.endpoint().port() == null ? 0 : i.endpoint().port(),
        i.dbName(),
        i.masterUsername(),
        i.masterUserSecret() == null ? null : i.masterUserSecret().secretArn(),
        i.dbParameterGroups().stream()
            .map(
                g ->
                    new DbInstanceInfo.ParameterGroupStatus(
                        g.dbParameterGroupName(), g.parameterApplyStatus()))
            .toList(),
        i.vpcSecurityGroups().stream().map(g -> g.vpcSecurityGroupId()).toList(),
        Boolean.TRUE.equals(i.publiclyAccessible()),
        i.preferredMaintenanceWindow(),
        i.dbClusterIdentifier(),
        pendingModifications(i.pendingModifiedValues()));
  }

  /**
   * PendingModifiedValues as {@code Field=value}, every field the SDK knows (class, storage, engine
   * version, ...), so a new kind of pending change is listed without code here.
   */
  static List<String> pendingModifications(PendingModifiedValues pending) {
    List<String> out = new ArrayList<>();
    if (pending == null) {
      return out;
    }
    for (SdkField<?> field : pending.sdkFields()) {
      Object value = field.getValueOrDefault(pending);
      if (value == null || (value instanceof Collection<?> c && c.isEmpty())) {
        continue;
      }
      out.add(field.memberName() + "=" + value);
    }
    return out;
  }

  private static void refuseAurora(DbInstanceInfo i) {
    if (i.dbClusterId() != null || (i.engine() != null && i.engine().startsWith("aurora"))) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.UNSUPPORTED_ENGINE,
          "instance "
              + i.dbInstanceId()
              + " is part of an Aurora cluster (engine "
              + i.engine()
              + "); its parameter lives in the cluster parameter group, which onramp does not"
              + " manage yet. Aurora support is planned");
    }
    if (!"postgres".equals(i.engine())) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.UNSUPPORTED_ENGINE,
          "instance "
              + i.dbInstanceId()
              + " uses engine "
              + i.engine()
              + "; onramp onboards PostgreSQL only");
    }
  }

  // ------------------------------------------------------------------ parameter groups

  /** The group onramp owns for an instance; derived, so a retry finds what the first made. */
  static String targetGroupName(String family, String dbInstanceId) {
    return ("onramp-" + family + "-" + dbInstanceId).toLowerCase();
  }

  @Override
  public ParameterGroupPlan planParameterGroup(String region, String dbInstanceId) {
    DbInstanceInfo i = describeInstance(region, dbInstanceId);
    refuseAurora(i);
    String current = i.parameterGroup();
    DBParameterGroup group = group(region, current);
    String family = group.dbParameterGroupFamily();
    String target = targetGroupName(family, i.dbInstanceId());
    if ("1".equals(parameterValue(region, current).orElse(null))) {
      return new ParameterGroupPlan(
          ParameterGroupPlan.Action.ALREADY_SET,
          family,
          current,
          current,
          current + " already sets " + PARAMETER + "=1");
    }
    if (current.startsWith("default.")) {
      return new ParameterGroupPlan(
          ParameterGroupPlan.Action.CREATE,
          family,
          current,
          target,
          current
              + " is a default group, which RDS does not let anyone modify; creating "
              + target);
    }
    List<String> sharing = instancesUsing(region, current, i.dbInstanceId());
    if (!sharing.isEmpty()) {
      return new ParameterGroupPlan(
          ParameterGroupPlan.Action.COPY,
          family,
          current,
          target,
          current + " is also used by " + String.join(", ", sharing) + "; copying it to " + target);
    }
    // onramp never alters what it did not create: a custom group someone else made (even one used
    // by this instance only) keeps its settings, and the instance moves to onramp's copy. onramp
    // names its groups onramp-*, so only those need their tags read (which keeps the IAM policy's
    // ListTagsForResource to pg:onramp-*).
    if (!current.startsWith("onramp-") || !isOnrampGroup(region, group)) {
      return new ParameterGroupPlan(
          ParameterGroupPlan.Action.COPY,
          family,
          current,
          target,
          current
              + " was not created by onramp (no tag "
              + Ownership.TAG_KEY
              + "="
              + Ownership.TAG_VALUE
              + "); copying it to "
              + target
              + " and leaving it unchanged");
    }
    return new ParameterGroupPlan(
        ParameterGroupPlan.Action.MODIFY_IN_PLACE,
        family,
        current,
        current,
        current
            + " is onramp's and used by "
            + i.dbInstanceId()
            + " only; setting "
            + PARAMETER
            + "=1 in it");
  }

  private DBParameterGroup group(String region, String name) {
    try {
      return rds(region)
          .describeDBParameterGroups(b -> b.dbParameterGroupName(name))
          .dbParameterGroups()
          .get(0);
    } catch (DbParameterGroupNotFoundException e) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.PARAMETER_GROUP,
          "DB parameter group " + name + " not found in " + region,
          e);
    } catch (RdsException e) {
      throw AwsFailures.translate("DescribeDBParameterGroups " + name, e);
    }
  }

  /** The value of rds.logical_replication in a group, following DescribeDBParameters' pages. */
  private Optional<String> parameterValue(String region, String groupName) {
    try {
      return rds(region)
          .describeDBParametersPaginator(b -> b.dbParameterGroupName(groupName))
          .parameters()
          .stream()
          .filter(p -> PARAMETER.equals(p.parameterName()))
          .findFirst()
          .map(Parameter::parameterValue);
    } catch (DbParameterGroupNotFoundException e) {
      return Optional.empty();
    } catch (RdsException e) {
      throw AwsFailures.translate("DescribeDBParameters " + groupName, e);
    }
  }

  private List<String> instancesUsing(String region, String group, String except) {
    try {
      return rds(region).describeDBInstancesPaginator(b -> b.maxRecords(100)).dbInstances().stream()
          .filter(
              d ->
                  !d.dbInstanceIdentifier().equals(except)
                      && d.dbParameterGroups().stream()
                          .anyMatch(g -> group.equals(g.dbParameterGroupName())))
          .map(DBInstance::dbInstanceIdentifier)
          .toList();
    } catch (RdsException e) {
      throw AwsFailures.translate("DescribeDBInstances", e);
    }
  }

  @Override
  public void prepareParameterGroup(String region, ParameterGroupPlan plan) {
    RdsClient rds = rds(region);
    String target = plan.targetGroup();
    switch (plan.action()) {
      case ALREADY_SET -> {
        return;
      }
      case CREATE -> {
        try {
          rds.createDBParameterGroup(
              b ->
                  b.dbParameterGroupName(target)
                      .dbParameterGroupFamily(plan.family())
                      .description("onramp: logical replication (from " + plan.currentGroup() + ")")
                      .tags(ownershipTags(region, plan)));
          log.info("created DB parameter group {} ({})", target, plan.family());
        } catch (DbParameterGroupAlreadyExistsException e) {
          checkFamily(region, target, plan.family());
          refuseForeignGroup(region, target);
        } catch (RdsException e) {
          throw groupFailure("CreateDBParameterGroup " + target, e);
        }
      }
      case COPY -> {
        try {
          rds.copyDBParameterGroup(
              b ->
                  b.sourceDBParameterGroupIdentifier(plan.currentGroup())
                      .targetDBParameterGroupIdentifier(target)
                      .targetDBParameterGroupDescription(
                          "onramp: copy of " + plan.currentGroup() + " with logical replication")
                      .tags(ownershipTags(region, plan)));
          log.info("copied DB parameter group {} to {}", plan.currentGroup(), target);
        } catch (DbParameterGroupAlreadyExistsException e) {
          checkFamily(region, target, plan.family());
          refuseForeignGroup(region, target);
        } catch (RdsException e) {
          throw groupFailure("CopyDBParameterGroup " + plan.currentGroup() + " to " + target, e);
        }
      }
      case MODIFY_IN_PLACE -> {}
    }
    // Setting the same value again would put instances using the group back to pending-reboot,
    // so look first.
    if ("1".equals(parameterValue(region, target).orElse(null))) {
      return;
    }
    try {
      rds.modifyDBParameterGroup(
          b ->
              b.dbParameterGroupName(target)
                  .parameters(
                      Parameter.builder()
                          .parameterName(PARAMETER)
                          .parameterValue("1")
                          // Static parameter: RDS refuses "immediate".
                          .applyMethod(ApplyMethod.PENDING_REBOOT)
                          .build()));
      log.info("set {}=1 (pending-reboot) in {}", PARAMETER, target);
    } catch (RdsException e) {
      throw groupFailure("ModifyDBParameterGroup " + target, e);
    }
  }

  private void checkFamily(String region, String name, String family) {
    String existing = group(region, name).dbParameterGroupFamily();
    if (!family.equals(existing)) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.PARAMETER_GROUP,
          "DB parameter group "
              + name
              + " exists with family "
              + existing
              + ", but the instance needs "
              + family
              + "; delete or rename that group and run onramp again");
    }
  }

  /**
   * Tags on the group onramp creates, set in the same Create/Copy call (so it never exists
   * unmarked); a copy does not inherit the source group's tags.
   */
  private static List<Tag> ownershipTags(String region, ParameterGroupPlan plan) {
    return List.of(
        Tag.builder().key(Ownership.TAG_KEY).value(Ownership.TAG_VALUE).build(),
        Tag.builder().key(Ownership.REGION_TAG).value(region).build(),
        Tag.builder().key("onramp:source-group").value(plan.currentGroup()).build());
  }

  /** Whether the group carries onramp's {@code managed-by=onramp} tag. */
  private boolean isOnrampGroup(String region, DBParameterGroup g) {
    try {
      return rds(region)
          .listTagsForResource(b -> b.resourceName(g.dbParameterGroupArn()))
          .tagList()
          .stream()
          .anyMatch(
              t -> Ownership.TAG_KEY.equals(t.key()) && Ownership.TAG_VALUE.equals(t.value()));
    } catch (RdsException e) {
      throw AwsFailures.translate("ListTagsForResource " + g.dbParameterGroupName(), e);
    }
  }

  /**
   * A group with onramp's name that onramp did not create (no {@code managed-by=onramp} tag) is
   * someone else's: onramp does not set parameters in it.
   */
  private void refuseForeignGroup(String region, String name) {
    DBParameterGroup g = group(region, name);
    if (!isOnrampGroup(region, g)) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.FOREIGN_OBJECT,
          "DB parameter group "
              + name
              + " already exists and was not created by onramp (it has no tag "
              + Ownership.TAG_KEY
              + "="
              + Ownership.TAG_VALUE
              + "); onramp does not change a group it did not create. Rename or delete that"
              + " group, or, if onramp may manage it, tag it: aws rds add-tags-to-resource"
              + " --resource-name "
              + g.dbParameterGroupArn()
              + " --tags Key="
              + Ownership.TAG_KEY
              + ",Value="
              + Ownership.TAG_VALUE);
    }
  }

  private static RuntimeException groupFailure(String action, RdsException e) {
    if (AwsFailures.isRetryable(e) || e.statusCode() == 403) {
      return AwsFailures.translate(action, e);
    }
    String code = AwsFailures.code(e);
    String fix =
        switch (code) {
          case "DBParameterGroupQuotaExceeded" ->
              "; delete unused DB parameter groups or raise the quota, then run onramp again";
          case "InvalidParameterValue", "InvalidParameterCombination" ->
              "; RDS refused the change to the group";
          default -> "";
        };
    return OnboardingFailures.nonRetryable(
        OnboardingFailures.PARAMETER_GROUP,
        action + " failed: " + code + ": " + AwsFailures.message(e) + fix,
        e);
  }

  // ------------------------------------------------------------------ instance changes

  @Override
  public void associateParameterGroup(
      String region,
      String dbInstanceId,
      String parameterGroup,
      boolean applyPendingModifications) {
    DbInstanceInfo i = describeInstance(region, dbInstanceId);
    if (parameterGroup.equals(i.parameterGroup())) {
      return;
    }
    if (!i.pending().isEmpty() && !applyPendingModifications) {
      // ApplyImmediately=true would apply these along with the group (RDS API reference,
      // ModifyDBInstance ApplyImmediately): someone's queued class change is not ours to apply.
      throw pendingModificationsFailure(dbInstanceId, i.pending());
    }
    try {
      rds(region)
          .modifyDBInstance(
              b ->
                  b.dbInstanceIdentifier(dbInstanceId)
                      .dbParameterGroupName(parameterGroup)
                      .applyImmediately(true));
      log.info("associated {} with {}", parameterGroup, dbInstanceId);
    } catch (RdsException e) {
      String code = AwsFailures.code(e);
      // InvalidDBInstanceState (busy with a backup or another operation) is retried by the
      // translation below (AwsFailures.RDS).
      if (code.equals("DBParameterGroupNotFound") || code.equals("InvalidParameterCombination")) {
        throw OnboardingFailures.nonRetryable(
            OnboardingFailures.PARAMETER_GROUP,
            "cannot associate "
                + parameterGroup
                + " with "
                + dbInstanceId
                + ": "
                + AwsFailures.message(e),
            e);
      }
      throw AwsFailures.translate("ModifyDBInstance " + dbInstanceId, e);
    }
  }

  @Override
  public InstanceState checkAvailable(String region, String dbInstanceId) {
    DbInstanceInfo i = describeInstance(region, dbInstanceId);
    InstanceState state = state(i);
    failIfTerminal(i);
    if (!"available".equals(i.status())) {
      throw OnboardingFailures.notReady(
          "instance " + dbInstanceId + " is " + i.status() + ", waiting for available");
    }
    if ("applying".equals(state.parameterApplyStatus())) {
      throw OnboardingFailures.notReady(
          "parameter group " + state.parameterGroup() + " of " + dbInstanceId + " is applying");
    }
    return state;
  }

  private static InstanceState state(DbInstanceInfo i) {
    return new InstanceState(
        i.status(),
        i.parameterGroup(),
        i.parameterGroups().isEmpty() ? null : i.parameterGroups().get(0).applyStatus());
  }

  private static void failIfTerminal(DbInstanceInfo i) {
    if (TERMINAL.contains(i.status())) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.INSTANCE_STATE,
          "instance "
              + i.dbInstanceId()
              + " is "
              + i.status()
              + " and will not become available by waiting; fix it in the RDS console"
              + " (see its recent events), then run onramp again");
    }
  }

  /** The failure that stops a run before it applies someone else's pending modifications. */
  public static io.temporal.failure.ApplicationFailure pendingModificationsFailure(
      String dbInstanceId, List<String> pending) {
    return OnboardingFailures.nonRetryable(
        OnboardingFailures.PENDING_MODIFICATIONS,
        "instance "
            + dbInstanceId
            + " has pending modifications ("
            + String.join(", ", pending)
            + ") that ModifyDBInstance with ApplyImmediately=true would apply along with the"
            + " parameter group; apply or cancel them first, or run onramp again with"
            + " --apply-pending-modifications (applyPendingModifications: true) to apply them"
            + " now");
  }

  @Override
  public InstanceState checkAssociated(String region, String dbInstanceId, String parameterGroup) {
    // Two consecutive reads must agree: one answer of an eventually consistent describe, even one
    // showing the new group, can be followed by an older one.
    InstanceState first = associatedState(region, dbInstanceId, parameterGroup);
    return associatedState(region, dbInstanceId, parameterGroup).equals(first)
        ? first
        : notYet(dbInstanceId + " answered differently on two consecutive reads");
  }

  private InstanceState associatedState(String region, String dbInstanceId, String group) {
    DbInstanceInfo i = describeInstance(region, dbInstanceId);
    InstanceState state = state(i);
    failIfTerminal(i);
    if (!group.equals(state.parameterGroup())) {
      throw OnboardingFailures.notReady(
          "instance "
              + dbInstanceId
              + " still shows parameter group "
              + state.parameterGroup()
              + ", waiting for "
              + group);
    }
    if (!"available".equals(i.status())) {
      throw OnboardingFailures.notReady(
          "instance " + dbInstanceId + " is " + i.status() + ", waiting for available");
    }
    if ("applying".equals(state.parameterApplyStatus())) {
      throw OnboardingFailures.notReady(
          "parameter group " + group + " of " + dbInstanceId + " is applying");
    }
    return state;
  }

  private static InstanceState notYet(String message) {
    throw OnboardingFailures.notReady(message);
  }

  @Override
  public RebootOutcome reboot(String region, String dbInstanceId, Instant notBefore) {
    DbInstanceInfo i = describeInstance(region, dbInstanceId);
    if ("rebooting".equals(i.status())) {
      return RebootOutcome.ALREADY_REBOOTING;
    }
    if (rebootedSince(region, dbInstanceId, notBefore)) {
      return RebootOutcome.ALREADY_REBOOTED;
    }
    try {
      // Never with failover: RDS applies pending parameter groups only on a reboot without it.
      rds(region).rebootDBInstance(b -> b.dbInstanceIdentifier(dbInstanceId).forceFailover(false));
      log.info("rebooting {}", dbInstanceId);
      return RebootOutcome.REBOOTED;
    } catch (RdsException e) {
      // InvalidDBInstanceState (a backup, another modification) is retried: AwsFailures.RDS.
      throw AwsFailures.translate("RebootDBInstance " + dbInstanceId, e);
    }
  }

  private boolean rebootedSince(String region, String dbInstanceId, Instant notBefore) {
    if (notBefore == null) {
      return false;
    }
    return events(region, dbInstanceId, notBefore).stream()
        .anyMatch(
            e ->
                e.date() != null
                    && !e.date().isBefore(notBefore)
                    && e.message() != null
                    && REBOOT_EVENT.matcher(e.message()).matches());
  }

  private List<Event> events(String region, String dbInstanceId, Instant since) {
    try {
      return rds(region)
          .describeEventsPaginator(
              b ->
                  b.sourceIdentifier(dbInstanceId)
                      .sourceType(SourceType.DB_INSTANCE)
                      .startTime(since))
          .events()
          .stream()
          .toList();
    } catch (RdsException e) {
      throw AwsFailures.translate("DescribeEvents " + dbInstanceId, e);
    }
  }

  @Override
  public InstanceState checkRebooted(
      String region, String dbInstanceId, String parameterGroup, Instant rebootRequestedAt) {
    // Evidence first: right after RebootDBInstance, DescribeDBInstances can still answer with the
    // state from before it (available, pending-reboot), which would read as "rebooted, did not
    // apply". RDS writes "DB instance restarted" (RDS-EVENT-0006) when the restart is done.
    if (rebootRequestedAt != null && !restartedSince(region, dbInstanceId, rebootRequestedAt)) {
      DbInstanceInfo i = describeInstance(region, dbInstanceId);
      failIfTerminal(i);
      throw OnboardingFailures.notReady(
          "no restart of "
              + dbInstanceId
              + " since the reboot was requested at "
              + rebootRequestedAt
              + " (it shows "
              + i.status()
              + ")");
    }
    InstanceState first = rebootedState(region, dbInstanceId, parameterGroup);
    return rebootedState(region, dbInstanceId, parameterGroup).equals(first)
        ? first
        : notYet(dbInstanceId + " answered differently on two consecutive reads");
  }

  private boolean restartedSince(String region, String dbInstanceId, Instant since) {
    return events(region, dbInstanceId, since).stream()
        .anyMatch(
            e ->
                e.date() != null
                    && !e.date().isBefore(since)
                    && e.message() != null
                    && RESTARTED_EVENT.matcher(e.message()).matches());
  }

  private InstanceState rebootedState(String region, String dbInstanceId, String parameterGroup) {
    DbInstanceInfo i = describeInstance(region, dbInstanceId);
    InstanceState state = state(i);
    failIfTerminal(i);
    if (parameterGroup != null && !parameterGroup.equals(state.parameterGroup())) {
      throw OnboardingFailures.nonRetryable(
          OnboardingFailures.PARAMETER_GROUP,
          "instance "
              + dbInstanceId
              + " now uses parameter group "
              + state.parameterGroup()
              + ", not "
              + parameterGroup
              + "; someone changed it during onboarding. Run onramp again");
    }
    if (!"available".equals(i.status())) {
      throw OnboardingFailures.notReady(
          "instance " + dbInstanceId + " is " + i.status() + ", waiting for available");
    }
    if ("applying".equals(state.parameterApplyStatus())) {
      throw OnboardingFailures.notReady(
          "parameter group " + state.parameterGroup() + " of " + dbInstanceId + " is applying");
    }
    // available and in-sync is the goal. Available and still pending-reboot after the restart
    // means the reboot did not apply the group: return it, the workflow checks the database and
    // decides whether to reboot again (through the gate).
    return state;
  }

  @Override
  public LedgerEntry convergeParameterGroup(ParameterGroupRequest request) {
    throw new UnsupportedOperationException("issue 13, slice aws");
  }

  @Override
  public LedgerEntry convergeAssociation(AssociationRequest request) {
    throw new UnsupportedOperationException("issue 13, slice aws");
  }

  @Override
  public Removal removeParameterGroup(ParameterGroupRemoval removal) {
    throw new UnsupportedOperationException("issue 13, slice aws");
  }
}
