package dev.onramp.sandbox.aws.state;

import dev.onramp.sandbox.aws.ec2.SecurityGroup;
import dev.onramp.sandbox.aws.rds.DbCluster;
import dev.onramp.sandbox.aws.rds.DbInstance;
import dev.onramp.sandbox.aws.rds.ParameterGroup;
import dev.onramp.sandbox.aws.rds.RdsEvent;
import dev.onramp.sandbox.aws.secrets.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Everything the emulator remembers across restarts (data directories aside). */
public final class EmulatorState {
  public String vpcId;
  public Map<String, ParameterGroup> parameterGroups = new TreeMap<>();
  public Map<String, DbInstance> instances = new TreeMap<>();
  public List<RdsEvent> events = new ArrayList<>();
  public Map<String, SecurityGroup> securityGroups = new TreeMap<>();
  public Map<String, Secret> secrets = new TreeMap<>();

  /** Aurora DB clusters, by DBClusterIdentifier. */
  public Map<String, DbCluster> clusters = new TreeMap<>();

  /** DB cluster parameter groups: a namespace of their own, apart from DB parameter groups. */
  public Map<String, ParameterGroup> clusterParameterGroups = new TreeMap<>();
}
