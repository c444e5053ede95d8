package dev.onramp.sandbox.aws.iam;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onramp.sandbox.aws.http.QueryParams;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The resources IAM authorizes each emulated call against, after the Service Authorization
 * Reference ("Actions, resources, and condition keys for Amazon RDS / Amazon EC2 / AWS Secrets
 * Manager"): RDS instance calls against {@code db:<id>}, parameter-group calls against {@code
 * pg:<name>} (a copy against source and target, {@code ModifyDBInstance} naming a group against
 * both the instance and the group), a describe without an identifier against {@code db:*} / {@code
 * pg:*}, RDS tagging calls against their {@code ResourceName}; EC2 ingress changes against the
 * security group, {@code DescribeSecurityGroups} only against {@code *} (no resource-level
 * permissions); Secrets Manager calls against the secret's ARN. Actions without resource types
 * ({@code DescribeEvents}, {@code DescribeDBEngineVersions}) are checked against {@code *}.
 */
public final class ResourceArns {
  private final String region;
  private final String accountId;
  private final Function<String, Optional<String>> secretArnOf;
  private final Function<String, Map<String, String>> tagsOf;

  /**
   * @param secretArnOf the ARN of an existing secret named or identified by a SecretId
   * @param tagsOf the tags of the resource an ARN names (empty when it has none or does not exist)
   */
  public ResourceArns(
      String region,
      String accountId,
      Function<String, Optional<String>> secretArnOf,
      Function<String, Map<String, String>> tagsOf) {
    this.region = region;
    this.accountId = accountId;
    this.secretArnOf = secretArnOf;
    this.tagsOf = tagsOf;
  }

  /** The request with the tags of each of its resources that has any. */
  private AccessRequest withTags(AccessRequest r) {
    Map<String, Map<String, String>> tags = new HashMap<>();
    for (String resource : r.resources()) {
      Map<String, String> t = tagsOf.apply(resource);
      if (!t.isEmpty()) {
        tags.put(resource, t);
      }
    }
    return new AccessRequest(r.action(), r.resources(), tags);
  }

  private String rds(String type, String name) {
    if (name.startsWith("arn:")) {
      return name;
    }
    return "arn:aws:rds:" + region + ":" + accountId + ":" + type + ":" + name;
  }

  /**
   * What an RDS call needs: its own action, and {@code rds:AddTagsToResource} on the new resource
   * when it is created with {@code Tags} (the Service Authorization Reference lists it as a
   * dependent action of the Create/Copy calls).
   */
  public List<AccessRequest> rdsCall(String action, QueryParams q) {
    AccessRequest own = withTags(rds(action, q));
    boolean tagged =
        !q.structs("Tags.Tag").isEmpty()
            && (action.startsWith("Create") || action.startsWith("Copy"));
    if (!tagged) {
      return List.of(own);
    }
    String created = own.resources().get(own.resources().size() - 1);
    return List.of(own, AccessRequest.of("rds:AddTagsToResource", created));
  }

  /**
   * What a Secrets Manager call needs: its own action, and {@code secretsmanager:TagResource} when
   * CreateSecret carries {@code Tags} (CreateSecret's API reference: "If you include tags in the
   * secret, you also need secretsmanager:TagResource").
   */
  public List<AccessRequest> secretsManagerCall(String op, JsonNode body) {
    AccessRequest own = secretsManager(op, body);
    if (op.equals("CreateSecret") && body != null && body.path("Tags").size() > 0) {
      return List.of(own, AccessRequest.of("secretsmanager:TagResource", own.resources().get(0)));
    }
    return List.of(own);
  }

  public AccessRequest rds(String action, QueryParams q) {
    String a = "rds:" + action;
    String instance = q.getOrNull("DBInstanceIdentifier");
    String group = q.getOrNull("DBParameterGroupName");
    return switch (action) {
      case "DescribeDBInstances" -> AccessRequest.of(a, rds("db", orAll(instance)));
      case "ModifyDBInstance" -> {
        List<String> r = new ArrayList<>(List.of(rds("db", orAll(instance))));
        if (group != null) {
          r.add(rds("pg", group));
        }
        yield new AccessRequest(a, r);
      }
      case "RebootDBInstance" -> AccessRequest.of(a, rds("db", orAll(instance)));
      // Tagging calls name the resource by ARN.
      case "AddTagsToResource", "ListTagsForResource", "RemoveTagsFromResource" ->
          AccessRequest.of(a, orAll(q.getOrNull("ResourceName")));
      case "DescribeDBParameterGroups",
          "DescribeDBParameters",
          "CreateDBParameterGroup",
          "ModifyDBParameterGroup",
          "DeleteDBParameterGroup" ->
          AccessRequest.of(a, rds("pg", orAll(group)));
      case "CopyDBParameterGroup" ->
          AccessRequest.of(
              a,
              rds("pg", orAll(q.getOrNull("SourceDBParameterGroupIdentifier"))),
              rds("pg", orAll(q.getOrNull("TargetDBParameterGroupIdentifier"))));
      // Aurora: cluster calls against cluster:<id>, cluster parameter group calls against
      // cluster-pg:<name>; ModifyDBCluster naming a group against both.
      case "DescribeDBClusters" ->
          AccessRequest.of(a, rds("cluster", orAll(q.getOrNull("DBClusterIdentifier"))));
      case "ModifyDBCluster" -> {
        List<String> r =
            new ArrayList<>(List.of(rds("cluster", orAll(q.getOrNull("DBClusterIdentifier")))));
        String clusterGroup = q.getOrNull("DBClusterParameterGroupName");
        if (clusterGroup != null) {
          r.add(rds("cluster-pg", clusterGroup));
        }
        yield new AccessRequest(a, r);
      }
      case "DescribeDBClusterParameterGroups",
          "DescribeDBClusterParameters",
          "CreateDBClusterParameterGroup",
          "ModifyDBClusterParameterGroup",
          "DeleteDBClusterParameterGroup" ->
          AccessRequest.of(a, rds("cluster-pg", orAll(q.getOrNull("DBClusterParameterGroupName"))));
      case "CopyDBClusterParameterGroup" ->
          AccessRequest.of(
              a,
              rds("cluster-pg", orAll(q.getOrNull("SourceDBClusterParameterGroupIdentifier"))),
              rds("cluster-pg", orAll(q.getOrNull("TargetDBClusterParameterGroupIdentifier"))));
      default -> AccessRequest.of(a, "*");
    };
  }

  public AccessRequest ec2(String action, QueryParams q) {
    String a = "ec2:" + action;
    return switch (action) {
      case "AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress" ->
          AccessRequest.of(
              a,
              "arn:aws:ec2:"
                  + region
                  + ":"
                  + accountId
                  + ":security-group/"
                  + orAll(q.getOrNull("GroupId")));
      default -> AccessRequest.of(a, "*");
    };
  }

  public AccessRequest secretsManager(String op, JsonNode body) {
    String a = "secretsmanager:" + op;
    String id =
        body == null
            ? null
            : body.path(op.equals("CreateSecret") ? "Name" : "SecretId").asText(null);
    if (id == null) {
      return AccessRequest.of(a, "*");
    }
    String arn =
        secretArnOf
            .apply(id)
            .orElse(
                id.startsWith("arn:")
                    ? id
                    : "arn:aws:secretsmanager:" + region + ":" + accountId + ":secret:" + id);
    return AccessRequest.of(a, arn);
  }

  private static String orAll(String name) {
    return name == null || name.isEmpty() ? "*" : name;
  }
}
