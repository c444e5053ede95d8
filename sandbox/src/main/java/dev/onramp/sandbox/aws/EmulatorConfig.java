package dev.onramp.sandbox.aws;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.onramp.sandbox.aws.faults.Fault;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The emulator's config file, YAML or JSON (by extension: {@code .json} is JSON, anything else
 * YAML). Example:
 *
 * <pre>
 * port: 4566
 * stateDir: .onramp/sandbox
 * timings: { modifyingMillis: 3000, applyingMillis: 1000, rebootingMillis: 3000 }
 * instances:
 *   - id: orders-db
 *     engineVersion: "16.15"
 *     dbName: orders
 *     masterUsername: postgres
 *     securityGroups: [orders-db-sg]
 * faults:
 *   - { type: throttle, operation: DescribeDBInstances, count: 2 }
 * iamPolicy: iam/onramp-policy.json   # optional: enforce this IAM policy on every call
 * clusters:                             # Aurora: a writer backed by PostgreSQL, readers described
 *   - { id: orders-cluster, writer: orders-writer, readers: [orders-reader], dbName: orders }
 * </pre>
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EmulatorConfig(
    Integer port,
    String stateDir,
    String region,
    String accountId,
    TimingsConfig timings,
    List<DbInstanceSpec> instances,
    List<Fault> faults,
    String iamPolicy,
    List<DbClusterSpec> clusters) {

  /** Transition durations in milliseconds. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record TimingsConfig(Long modifyingMillis, Long applyingMillis, Long rebootingMillis) {}

  public static EmulatorConfig read(Path file) throws IOException {
    ObjectMapper mapper =
        file.toString().endsWith(".json")
            ? new ObjectMapper()
            : new ObjectMapper(new YAMLFactory());
    mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    return mapper.readValue(file.toFile(), EmulatorConfig.class);
  }
}
