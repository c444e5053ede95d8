package dev.onramp.sandbox.aws.ec2;

import java.util.ArrayList;
import java.util.List;

/** A VPC security group. */
public final class SecurityGroup {
  public String groupId;
  public String groupName;
  public String description;
  public String vpcId;
  public String ownerId;
  public List<SecurityGroupRule> ingress = new ArrayList<>();
  public List<SecurityGroupRule> egress = new ArrayList<>();

  public SecurityGroup() {}
}
