package dev.onramp.activities.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * iam/onramp-policy.json grants exactly the AWS calls the activities make, and the README's IAM
 * section lists exactly what the file grants.
 */
class IamPolicyFileTest {
  static final Path ROOT = Path.of("..");
  static final Path POLICY = ROOT.resolve("iam/onramp-policy.json");

  /** action -> resources, from the policy's Allow statements. */
  static Map<String, TreeSet<String>> policy() throws IOException {
    return policy(POLICY);
  }

  static Map<String, TreeSet<String>> policy(Path file) throws IOException {
    Map<String, TreeSet<String>> out = new TreeMap<>();
    JsonNode doc = new ObjectMapper().readTree(file.toFile());
    for (JsonNode s : doc.get("Statement")) {
      assertThat(s.get("Effect").asText()).isEqualTo("Allow");
      for (JsonNode a : list(s.get("Action"))) {
        for (JsonNode r : list(s.get("Resource"))) {
          out.computeIfAbsent(a.asText(), k -> new TreeSet<>()).add(r.asText());
        }
      }
    }
    return out;
  }

  private static Iterable<JsonNode> list(JsonNode n) {
    return n.isArray() ? n : java.util.List.of(n);
  }

  /** Operations of {@code client} called anywhere in the activities' sources, as IAM actions. */
  static TreeSet<String> calledActions() throws IOException {
    String sources;
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      StringBuilder sb = new StringBuilder();
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        sb.append(Files.readString(f));
      }
      sources = sb.toString();
    }
    TreeSet<String> out = new TreeSet<>();
    Map<String, Class<?>> clients =
        Map.of(
            "rds", RdsClient.class,
            "ec2", Ec2Client.class,
            "secretsmanager", SecretsManagerClient.class);
    for (var e : clients.entrySet()) {
      for (Method m : e.getValue().getMethods()) {
        String name = m.getName();
        if (!m.isDefault() || name.equals("waiter") || name.equals("utilities")) {
          continue; // operations are default methods of the client interfaces
        }
        Matcher called = Pattern.compile("\\." + Pattern.quote(name) + "\\(").matcher(sources);
        if (called.find()) {
          String op = name.replaceFirst("Paginator$", "");
          out.add(e.getKey() + ":" + Character.toUpperCase(op.charAt(0)) + op.substring(1));
        }
      }
    }
    return out;
  }

  @Test
  void thePolicyGrantsExactlyTheCallsTheActivitiesMake() throws IOException {
    TreeSet<String> called = calledActions();
    // Creating with Tags needs the tagging action too (dependent actions in the Service
    // Authorization Reference; the emulator enforces it).
    if (called.contains("rds:CreateDBParameterGroup")
        || called.contains("rds:CopyDBParameterGroup")) {
      called.add("rds:AddTagsToResource");
    }
    if (called.contains("secretsmanager:CreateSecret")) {
      called.add("secretsmanager:TagResource");
    }
    assertThat(called).contains("rds:RebootDBInstance", "ec2:AuthorizeSecurityGroupIngress");
    assertThat(new TreeSet<>(policy().keySet())).isEqualTo(called);
  }

  @Test
  void theTaggedInstancesVariantGrantsTheSameActionsOnTheSameResources() throws IOException {
    // It only adds tag conditions to the instance statements.
    assertThat(policy(ROOT.resolve("iam/onramp-policy-tagged-instances.json"))).isEqualTo(policy());
  }

  @Test
  void theReadmeListsWhatThePolicyGrants() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    String section =
        readme.substring(
            readme.indexOf("<!-- iam-policy:begin -->"), readme.indexOf("<!-- iam-policy:end -->"));
    Map<String, TreeSet<String>> listed = new TreeMap<>();
    Matcher row = Pattern.compile("\\| `([a-z0-9]+:[A-Za-z]+)`[^|]*\\| (.+) \\|").matcher(section);
    while (row.find()) {
      TreeSet<String> resources = new TreeSet<>();
      Matcher r = Pattern.compile("`([^`]+)`").matcher(row.group(2));
      while (r.find()) {
        resources.add(r.group(1));
      }
      listed.put(row.group(1), resources);
    }
    assertThat(listed).isEqualTo(policy());
  }
}
