package dev.onramp.sandbox.aws.secrets;

import java.util.ArrayList;
import java.util.List;

/** A Secrets Manager secret. */
public final class Secret {
  public String arn;
  public String name;
  public String description;
  public long createdMillis;
  public Long deletedMillis;
  public List<SecretVersion> versions = new ArrayList<>();

  /** Tags (CreateSecret's Tags, TagResource), in the order they were set. */
  public java.util.Map<String, String> tags = new java.util.LinkedHashMap<>();

  public Secret() {}
}
