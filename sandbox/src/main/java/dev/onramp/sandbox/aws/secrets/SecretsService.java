package dev.onramp.sandbox.aws.secrets;

import dev.onramp.sandbox.aws.EmulatorContext;
import dev.onramp.sandbox.aws.http.AwsException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Secrets Manager: secrets with versions and the AWSCURRENT/AWSPREVIOUS labels. */
public final class SecretsService {
  private final EmulatorContext ctx;

  public SecretsService(EmulatorContext ctx) {
    this.ctx = ctx;
  }

  static AwsException notFound() {
    // The text real Secrets Manager returns for an unknown secret.
    return new AwsException(
        "ResourceNotFoundException", 400, "Secrets Manager can't find the specified secret.");
  }

  static AwsException markedForDeletion(String op) {
    return new AwsException(
        "InvalidRequestException",
        400,
        "You can't perform this operation on the secret because it was marked for deletion.");
  }

  /**
   * By ARN, or by name (the full ARN's name part). A secret whose recovery window has passed is
   * gone for good, as Secrets Manager deletes it then.
   */
  Optional<Secret> find(String id) {
    long now = System.currentTimeMillis();
    if (ctx.state
        .secrets
        .values()
        .removeIf(x -> x.deletedMillis != null && x.deletedMillis <= now)) {
      ctx.save();
    }
    Secret s = ctx.state.secrets.get(id);
    if (s != null) {
      return Optional.of(s);
    }
    return ctx.state.secrets.values().stream().filter(x -> x.name.equals(id)).findFirst();
  }

  /** The ARN of the secret a SecretId (ARN or name) names, if it exists. */
  public Optional<String> arnOf(String id) {
    synchronized (ctx.state) {
      return find(id).map(x -> x.arn);
    }
  }

  Secret require(String id) {
    return find(id).orElseThrow(SecretsService::notFound);
  }

  public Secret create(String name, String description, String secretString, String token) {
    return create(name, description, secretString, token, Map.of());
  }

  public Secret create(
      String name,
      String description,
      String secretString,
      String token,
      Map<String, String> tags) {
    synchronized (ctx.state) {
      checkTags(tags);
      if (name == null || name.isEmpty()) {
        throw new AwsException("InvalidParameterException", 400, "You must provide a Name.");
      }
      if (!name.matches("[A-Za-z0-9/_+=.@!-]{1,512}")) {
        throw new AwsException(
            "ValidationException",
            400,
            "Invalid name. Must be a valid name containing alphanumeric characters, or any of the"
                + " following: -/_+=.@!");
      }
      Optional<Secret> existing = find(name);
      if (existing.isPresent() && existing.get().deletedMillis != null) {
        // CreateSecret's API reference: a name stays taken while its secret is scheduled for
        // deletion; the refusal is InvalidRequestException, not ResourceExistsException.
        throw new AwsException(
            "InvalidRequestException",
            400,
            "You can't create this secret because a secret with this name is already scheduled"
                + " for deletion.");
      }
      if (existing.isPresent()) {
        throw new AwsException(
            "ResourceExistsException",
            400,
            "The operation failed because the secret " + name + " already exists.");
      }
      Secret s = new Secret();
      s.name = name;
      s.description = description;
      s.arn =
          "arn:aws:secretsmanager:"
              + ctx.region
              + ":"
              + ctx.accountId
              + ":secret:"
              + name
              + "-"
              + EmulatorContext.alnum(6);
      s.createdMillis = System.currentTimeMillis();
      s.tags.putAll(tags);
      if (secretString != null) {
        s.versions.add(
            new SecretVersion(
                token != null ? token : UUID.randomUUID().toString(),
                secretString,
                List.of("AWSCURRENT"),
                s.createdMillis));
      }
      ctx.state.secrets.put(s.arn, s);
      ctx.save();
      return s;
    }
  }

  public SecretVersion put(String id, String secretString, String token) {
    synchronized (ctx.state) {
      Secret s = require(id);
      if (s.deletedMillis != null) {
        throw markedForDeletion("PutSecretValue");
      }
      String versionId = token != null ? token : UUID.randomUUID().toString();
      for (SecretVersion v : s.versions) {
        if (v.versionId().equals(versionId)) {
          if (v.secretString().equals(secretString)) {
            return v; // an idempotent retry
          }
          throw new AwsException(
              "ResourceExistsException",
              400,
              "You can't modify an existing version, you can only create a new version.");
        }
      }
      List<SecretVersion> kept = new ArrayList<>();
      for (SecretVersion v : s.versions) {
        if (v.stages().contains("AWSCURRENT")) {
          kept.add(
              new SecretVersion(
                  v.versionId(), v.secretString(), List.of("AWSPREVIOUS"), v.createdMillis()));
        } else if (!v.stages().contains("AWSPREVIOUS")) {
          kept.add(v);
        }
      }
      SecretVersion nv =
          new SecretVersion(
              versionId, secretString, List.of("AWSCURRENT"), System.currentTimeMillis());
      kept.add(nv);
      s.versions = kept;
      ctx.save();
      return nv;
    }
  }

  /** DescribeSecret: metadata and tags, never the value; also for a secret marked for deletion. */
  public Secret describe(String id) {
    synchronized (ctx.state) {
      return copy(require(id));
    }
  }

  /** TagResource: adds or overwrites tags. */
  public void tag(String id, Map<String, String> tags) {
    synchronized (ctx.state) {
      Secret s = require(id);
      Map<String, String> merged = new LinkedHashMap<>(s.tags);
      merged.putAll(tags);
      checkTags(merged);
      s.tags = merged;
      ctx.save();
    }
  }

  private static Secret copy(Secret s) {
    Secret c = new Secret();
    c.arn = s.arn;
    c.name = s.name;
    c.description = s.description;
    c.createdMillis = s.createdMillis;
    c.deletedMillis = s.deletedMillis;
    c.versions = List.copyOf(s.versions);
    c.tags = new LinkedHashMap<>(s.tags);
    return c;
  }

  /** Secrets Manager's limits: at most 50 tags, keys 1-128 and values up to 256 characters. */
  private static void checkTags(Map<String, String> tags) {
    if (tags.size() > 50) {
      throw new AwsException(
          "ValidationException", 400, "Number of tags exceeds the limit of 50 tags per resource.");
    }
    for (Map.Entry<String, String> t : tags.entrySet()) {
      if (t.getKey().isEmpty() || t.getKey().length() > 128) {
        throw new AwsException(
            "ValidationException", 400, "Tag keys must be between 1 and 128 characters.");
      }
      if (t.getKey().toLowerCase().startsWith("aws:")) {
        throw new AwsException(
            "InvalidParameterException", 400, "Tag keys may not begin with the reserved aws:.");
      }
      if (t.getValue().length() > 256) {
        throw new AwsException(
            "ValidationException", 400, "Tag values must be at most 256 characters.");
      }
    }
  }

  public record Value(Secret secret, SecretVersion version) {}

  public Value get(String id, String versionId, String versionStage) {
    synchronized (ctx.state) {
      Secret s = require(id);
      if (s.deletedMillis != null) {
        throw markedForDeletion("GetSecretValue");
      }
      String stage = versionStage != null ? versionStage : versionId == null ? "AWSCURRENT" : null;
      for (SecretVersion v : s.versions) {
        if ((versionId == null || v.versionId().equals(versionId))
            && (stage == null || v.stages().contains(stage))) {
          return new Value(s, v);
        }
      }
      throw new AwsException(
          "ResourceNotFoundException",
          400,
          "Secrets Manager can't find the specified secret value for "
              + (versionId != null ? "VersionId: " + versionId : "staging label: " + stage));
    }
  }

  /**
   * RestoreSecret: cancels a scheduled deletion. On a secret not scheduled for deletion it succeeds
   * and changes nothing, as Secrets Manager does.
   */
  public Secret restore(String id) {
    synchronized (ctx.state) {
      Secret s = require(id);
      s.deletedMillis = null;
      ctx.save();
      return s;
    }
  }

  public Secret delete(String id, Long recoveryWindowDays, boolean force) {
    synchronized (ctx.state) {
      Secret s = require(id);
      if (force && recoveryWindowDays != null) {
        throw new AwsException(
            "InvalidParameterException",
            400,
            "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
      }
      if (recoveryWindowDays != null && (recoveryWindowDays < 7 || recoveryWindowDays > 30)) {
        throw new AwsException(
            "InvalidParameterException",
            400,
            "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
      }
      long now = System.currentTimeMillis();
      if (force) {
        ctx.state.secrets.remove(s.arn);
        s.deletedMillis = now;
      } else {
        if (s.deletedMillis != null) {
          throw markedForDeletion("DeleteSecret");
        }
        long days = recoveryWindowDays == null ? 30 : recoveryWindowDays;
        s.deletedMillis = now + days * 86_400_000L;
      }
      ctx.save();
      return s;
    }
  }
}
