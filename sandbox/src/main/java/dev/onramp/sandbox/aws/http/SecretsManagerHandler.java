package dev.onramp.sandbox.aws.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onramp.sandbox.aws.iam.AccessDeniedException;
import dev.onramp.sandbox.aws.secrets.Secret;
import dev.onramp.sandbox.aws.secrets.SecretVersion;
import dev.onramp.sandbox.aws.secrets.SecretsService;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Secrets Manager over JSON 1.1: {@code X-Amz-Target: secretsmanager.<Op>}, a JSON body, and errors
 * as {@code {"__type": code, "Message": text}}. Dates are epoch seconds.
 */
public final class SecretsManagerHandler {
  public static final String TARGET_PREFIX = "secretsmanager.";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SecretsService secrets;
  private final Map<String, Function<JsonNode, ObjectNode>> operations = new LinkedHashMap<>();

  public SecretsManagerHandler(SecretsService secrets) {
    this.secrets = secrets;
    operations.put("GetSecretValue", this::getSecretValue);
    operations.put("CreateSecret", this::createSecret);
    operations.put("PutSecretValue", this::putSecretValue);
    operations.put("DeleteSecret", this::deleteSecret);
    operations.put("RestoreSecret", this::restoreSecret);
    operations.put("DescribeSecret", this::describeSecret);
    operations.put("TagResource", this::tagResource);
  }

  public boolean knows(String op) {
    return operations.containsKey(op);
  }

  public String handle(String op, String body) {
    JsonNode in;
    try {
      in = body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new AwsException(
          "SerializationException", 400, "Start of structure or map found where not expected.");
    }
    if (!in.isObject()) {
      throw new AwsException(
          "SerializationException", 400, "Start of structure or map found where not expected.");
    }
    return operations.get(op).apply(in).toString();
  }

  /** Secrets Manager refuses a call IAM does not allow with {@code AccessDeniedException}, 400. */
  public static AwsException accessDenied(AccessDeniedException denied) {
    return new AwsException("AccessDeniedException", 400, denied.getMessage());
  }

  /** The request body as JSON, or null when it is not (the handler then answers the error). */
  public static JsonNode parseOrNull(String body) {
    try {
      return body == null || body.isBlank() ? null : JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  public static String error(AwsException e) {
    ObjectNode n = JSON.createObjectNode();
    n.put("__type", e.code());
    n.put("Message", e.getMessage());
    return n.toString();
  }

  private static String text(JsonNode in, String field) {
    JsonNode n = in.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw new AwsException(
          "SerializationException", 400, "STRING_VALUE can not be converted to a " + field);
    }
    return n.asText();
  }

  private static String requiredText(JsonNode in, String field) {
    String v = text(in, field);
    if (v == null || v.isEmpty()) {
      // Secrets Manager reports a missing member as a validation error.
      throw new AwsException(
          "InvalidParameterException", 400, "You must provide a value for " + field + ".");
    }
    return v;
  }

  private static double seconds(long millis) {
    return millis / 1000.0;
  }

  private ObjectNode getSecretValue(JsonNode in) {
    SecretsService.Value v =
        secrets.get(requiredText(in, "SecretId"), text(in, "VersionId"), text(in, "VersionStage"));
    ObjectNode out = JSON.createObjectNode();
    out.put("ARN", v.secret().arn);
    out.put("Name", v.secret().name);
    out.put("VersionId", v.version().versionId());
    out.put("SecretString", v.version().secretString());
    out.putArray("VersionStages")
        .addAll(v.version().stages().stream().map(JSON.getNodeFactory()::textNode).toList());
    out.put("CreatedDate", seconds(v.version().createdMillis()));
    return out;
  }

  private ObjectNode createSecret(JsonNode in) {
    if (in.has("SecretBinary")) {
      throw new AwsException(
          "InvalidParameterException", 400, "SecretBinary is not supported by this emulator.");
    }
    Secret s =
        secrets.create(
            requiredText(in, "Name"),
            text(in, "Description"),
            text(in, "SecretString"),
            text(in, "ClientRequestToken"),
            tags(in));
    ObjectNode out = JSON.createObjectNode();
    out.put("ARN", s.arn);
    out.put("Name", s.name);
    if (!s.versions.isEmpty()) {
      out.put("VersionId", s.versions.get(s.versions.size() - 1).versionId());
    }
    return out;
  }

  /** {@code "Tags": [{"Key": k, "Value": v}, ...]}; absent means none. */
  private static Map<String, String> tags(JsonNode in) {
    Map<String, String> tags = new LinkedHashMap<>();
    JsonNode list = in.get("Tags");
    if (list == null || list.isNull()) {
      return tags;
    }
    if (!list.isArray()) {
      throw new AwsException(
          "SerializationException", 400, "Start of list found where not expected for Tags.");
    }
    for (JsonNode t : list) {
      if (!t.isObject()) {
        throw new AwsException(
            "SerializationException", 400, "Start of structure or map found where not expected.");
      }
      String key = text(t, "Key");
      String value = text(t, "Value");
      if (key == null) {
        throw new AwsException("InvalidParameterException", 400, "You must provide a tag Key.");
      }
      tags.put(key, value == null ? "" : value);
    }
    return tags;
  }

  private ObjectNode describeSecret(JsonNode in) {
    Secret s = secrets.describe(requiredText(in, "SecretId"));
    ObjectNode out = JSON.createObjectNode();
    out.put("ARN", s.arn);
    out.put("Name", s.name);
    if (s.description != null) {
      out.put("Description", s.description);
    }
    out.put("CreatedDate", seconds(s.createdMillis));
    if (s.deletedMillis != null) {
      out.put("DeletedDate", seconds(s.deletedMillis));
    }
    // Like Secrets Manager, the Tags member is left out when the secret has none.
    if (!s.tags.isEmpty()) {
      ArrayNode list = out.putArray("Tags");
      s.tags.forEach((k, v) -> list.addObject().put("Key", k).put("Value", v));
    }
    ObjectNode stages = out.putObject("VersionIdsToStages");
    for (SecretVersion v : s.versions) {
      stages
          .putArray(v.versionId())
          .addAll(v.stages().stream().map(JSON.getNodeFactory()::textNode).toList());
    }
    return out;
  }

  private ObjectNode tagResource(JsonNode in) {
    String id = requiredText(in, "SecretId");
    Map<String, String> tags = tags(in);
    if (!in.has("Tags")) {
      throw new AwsException(
          "InvalidParameterException", 400, "You must provide a value for Tags.");
    }
    secrets.tag(id, tags);
    return JSON.createObjectNode();
  }

  private ObjectNode putSecretValue(JsonNode in) {
    String id = requiredText(in, "SecretId");
    String value = text(in, "SecretString");
    if (value == null) {
      throw new AwsException(
          "InvalidParameterException",
          400,
          "You must provide either SecretString or SecretBinary.");
    }
    SecretVersion v = secrets.put(id, value, text(in, "ClientRequestToken"));
    Secret s = secrets.get(id, v.versionId(), null).secret();
    ObjectNode out = JSON.createObjectNode();
    out.put("ARN", s.arn);
    out.put("Name", s.name);
    out.put("VersionId", v.versionId());
    out.putArray("VersionStages")
        .addAll(v.stages().stream().map(JSON.getNodeFactory()::textNode).toList());
    return out;
  }

  private ObjectNode restoreSecret(JsonNode in) {
    Secret s = secrets.restore(requiredText(in, "SecretId"));
    ObjectNode out = JSON.createObjectNode();
    out.put("ARN", s.arn);
    out.put("Name", s.name);
    return out;
  }

  private ObjectNode deleteSecret(JsonNode in) {
    JsonNode window = in.get("RecoveryWindowInDays");
    if (window != null && !window.isNull() && !window.isNumber()) {
      throw new AwsException(
          "SerializationException", 400, "NUMBER_VALUE can not be converted to a Long");
    }
    JsonNode force = in.get("ForceDeleteWithoutRecovery");
    Secret s =
        secrets.delete(
            requiredText(in, "SecretId"),
            window == null || window.isNull() ? null : window.asLong(),
            force != null && force.asBoolean(false));
    ObjectNode out = JSON.createObjectNode();
    out.put("ARN", s.arn);
    out.put("Name", s.name);
    out.put("DeletionDate", seconds(s.deletedMillis));
    return out;
  }
}
