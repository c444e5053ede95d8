package dev.onramp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onramp.cli.request.RequestFile;
import dev.onramp.workflows.OnboardingRequest;
import dev.onramp.workflows.RebootPolicy;
import dev.onramp.workflows.RequestValidator;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The example the README points to parses and validates as it says. */
class ExampleRequestTest {
  @Test
  void examplesRequestYamlIsValid() throws Exception {
    OnboardingRequest r = RequestFile.read(Path.of("../examples/request.yaml"));
    assertThat(RequestValidator.problems(r)).isEmpty();
    assertThat(r.rebootPolicy()).isEqualTo(RebootPolicy.APPROVAL);
    assertThat(r.waits().awsMaxWait()).isEqualTo(Duration.ofHours(3));
    assertThat(r.waits().stalledGrace()).isEqualTo(Duration.ofMinutes(5));
    assertThat(r.tables().tableNames()).hasSize(3);
    assertThat(r.tables().tableNames().get(2).name()).isEqualTo("Line Items");
  }
}
