package dev.onramp.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every {@code withX} of {@link OnboardingRequest} changes its one field and keeps every other one
 * (a copy that forgot a field added later would silently drop it, e.g. the network path).
 */
class OnboardingRequestCopiesTest {
  private static final OnboardingRequest FULL =
      OnboardingRequest.of("us-east-1", "db-1", "shop", TableSelection.tables("orders"))
          .withDefaults()
          .withMaxReboots(2)
          .withRebootSlotsFrom("fleet/a")
          .withSetMaxSlotWalKeepSizeMb(64L)
          .withNetwork(NetworkPath.sshBastion("bastion.example.com", 22, "mz"));

  @Test
  void everyCopyChangesOneFieldAndKeepsTheRest() throws Exception {
    OnboardingRequest other =
        new OnboardingRequest(
            "eu-west-1",
            "db-2",
            "crm",
            TableSelection.tables("returns"),
            "pub",
            "repl",
            SecretRef.secretsManager("admin"),
            "secret",
            FULL.materialize().withDefaults("crm2"),
            NetworkMode.NONE,
            RebootPolicy.IMMEDIATE,
            WaitSettings.defaults().withDefaults(),
            Duration.ofMinutes(5),
            3,
            Boolean.TRUE,
            "fleet/b",
            128L,
            NetworkPath.privatelinkService(
                "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", List.of("use1-az1")));
    List<String> copies = new ArrayList<>();
    for (Method m : OnboardingRequest.class.getMethods()) {
      if (!m.getName().startsWith("with")
          || m.getParameterCount() != 1
          || m.getName().equals("withDefaults")) {
        continue;
      }
      RecordComponent changed = componentOfType(m.getParameterTypes()[0], m.getName());
      Object value = changed.getAccessor().invoke(other);
      OnboardingRequest copy = (OnboardingRequest) m.invoke(FULL, value);
      for (RecordComponent c : OnboardingRequest.class.getRecordComponents()) {
        Object expected =
            c.getName().equals(changed.getName()) ? value : c.getAccessor().invoke(FULL);
        assertThat(c.getAccessor().invoke(copy))
            .as(m.getName() + " → " + c.getName())
            .isEqualTo(expected);
      }
      copies.add(m.getName());
    }
    assertThat(copies).hasSizeGreaterThanOrEqualTo(11).contains("withTables", "withNetwork");
  }

  /**
   * The component a {@code withX} sets: the one of its parameter's type (named like it if many).
   */
  private static RecordComponent componentOfType(Class<?> type, String method) {
    List<RecordComponent> candidates = new ArrayList<>();
    for (RecordComponent c : OnboardingRequest.class.getRecordComponents()) {
      if (c.getType().equals(type)) {
        candidates.add(c);
      }
    }
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    String name = method.substring(4).toLowerCase();
    return candidates.stream()
        .filter(c -> c.getName().toLowerCase().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("which field does " + method + " set?"));
  }
}
