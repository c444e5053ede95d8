package dev.onramp.activities.rds;

import static dev.onramp.activities.aws.EmulatorAws.poll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.activities.aws.AwsClients;
import dev.onramp.activities.aws.EmulatorAws;
import dev.onramp.sandbox.aws.AwsEmulator;
import dev.onramp.sandbox.aws.DbInstanceSpec;
import dev.onramp.sandbox.aws.InstanceInfo;
import dev.onramp.sandbox.aws.rds.Timings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.rds.model.Parameter;

/**
 * max_slot_wal_keep_size set through the group onramp created (immediate: the running PostgreSQL
 * takes it without a reboot), and never in a group onramp did not create (a default one, or
 * someone's own): there only the command to run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WalKeepSizeActivitiesImplTest {
  private static final String REGION = "us-east-1";

  private AwsEmulator emulator;
  private AwsClients aws;
  private RdsActivitiesImpl rds;
  private WalKeepSizeActivitiesImpl wal;

  @BeforeAll
  void start() {
    emulator =
        AwsEmulator.builder()
            .timings(Timings.all(Duration.ofMillis(200)))
            .instance(DbInstanceSpec.builder("wal-own").build())
            .instance(DbInstanceSpec.builder("wal-theirs").parameterGroup("their-group").build())
            .start();
    aws = EmulatorAws.clients(emulator);
    rds = new RdsActivitiesImpl(aws);
    wal = new WalKeepSizeActivitiesImpl(aws);
  }

  @AfterAll
  void stop() {
    aws.close();
    emulator.close();
  }

  private String groupValue(String group) {
    return aws
        .rds(REGION)
        .describeDBParametersPaginator(b -> b.dbParameterGroupName(group))
        .parameters()
        .stream()
        .filter(p -> "max_slot_wal_keep_size".equals(p.parameterName()))
        .findFirst()
        .map(Parameter::parameterValue) // an engine default is listed without a value
        .orElse(null);
  }

  private String serverSetting(String id) throws Exception {
    InstanceInfo i = emulator.instance(id);
    Properties p = new Properties();
    p.setProperty("user", i.masterUsername());
    p.setProperty("password", i.masterPassword());
    p.setProperty("sslmode", "require");
    try (Connection c = DriverManager.getConnection(i.jdbcUrl(), p);
        ResultSet rs = c.createStatement().executeQuery("SHOW max_slot_wal_keep_size")) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void aGroupOnrampDidNotCreateIsOnlyGivenTheCommand() throws Exception {
    WalKeepSizeOutcome theirs =
        wal.setMaxSlotWalKeepSize(new WalKeepSizeRequest(REGION, "wal-theirs", 2048));
    assertThat(theirs.ours()).isFalse();
    assertThat(theirs.changed()).isFalse();
    assertThat(theirs.message())
        .contains("their-group is not onramp's")
        .contains(
            "aws rds modify-db-parameter-group --db-parameter-group-name their-group"
                + " --parameters \"ParameterName=max_slot_wal_keep_size,ParameterValue=2048,"
                + "ApplyMethod=immediate\"");
    assertThat(groupValue("their-group")).isNull();
    assertThat(serverSetting("wal-theirs")).isEqualTo("-1");
  }

  @Test
  void onrampsGroupGetsTheValueAtOnceAndASecondRunChangesNothing() throws Exception {
    // Before onramp's group: the instance is on default.postgres16, which no one may change.
    WalKeepSizeOutcome onDefault =
        wal.setMaxSlotWalKeepSize(new WalKeepSizeRequest(REGION, "wal-own", 64));
    assertThat(onDefault.ours()).isFalse();
    assertThat(onDefault.message()).contains("default.postgres16 is not onramp's");

    ParameterGroupPlan plan = rds.planParameterGroup(REGION, "wal-own");
    rds.convergeParameterGroup(new ParameterGroupRequest(REGION, plan));
    rds.convergeAssociation(new AssociationRequest(REGION, "wal-own", plan.targetGroup(), false));
    poll(() -> rds.checkAssociated(REGION, "wal-own", plan.targetGroup()));

    WalKeepSizeOutcome set =
        wal.setMaxSlotWalKeepSize(new WalKeepSizeRequest(REGION, "wal-own", 64));
    assertThat(set.ours()).isTrue();
    assertThat(set.changed()).isTrue();
    assertThat(set.previous()).isNull();
    assertThat(set.parameterGroup()).isEqualTo("onramp-postgres16-wal-own");
    assertThat(set.message()).contains("set max_slot_wal_keep_size to 64 MB");
    assertThat(groupValue("onramp-postgres16-wal-own")).isEqualTo("64");
    // Dynamic: the running server has it without a reboot.
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!"64MB".equals(serverSetting("wal-own")) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(serverSetting("wal-own")).isEqualTo("64MB");

    WalKeepSizeOutcome again =
        wal.setMaxSlotWalKeepSize(new WalKeepSizeRequest(REGION, "wal-own", 64));
    assertThat(again.changed()).isFalse();
    assertThat(again.previous()).isEqualTo("64");
  }
}
