package dev.onramp.workflows;

import java.util.Map;
import java.util.TreeMap;

/**
 * How much of a fleet may happen at once: {@code onboardings} running onboardings, {@code reboots}
 * instances rebooting fleet-wide, and at most {@code rebootsPerRegion.get(region)} of those in one
 * region (a region not listed has only the fleet-wide limit). Unset: 10 onboardings, 1 reboot.
 */
public record FleetLimits(
    Integer onboardings, Integer reboots, Map<String, Integer> rebootsPerRegion) {
  public static final int DEFAULT_ONBOARDINGS = 10;
  public static final int DEFAULT_REBOOTS = 1;

  public FleetLimits {
    rebootsPerRegion = rebootsPerRegion == null ? Map.of() : new TreeMap<>(rebootsPerRegion);
  }

  public FleetLimits withDefaults() {
    return new FleetLimits(
        onboardings == null ? DEFAULT_ONBOARDINGS : onboardings,
        reboots == null ? DEFAULT_REBOOTS : reboots,
        rebootsPerRegion);
  }

  /** The reboot limit of {@code region}: its own, or the fleet-wide one. */
  public int rebootsIn(String region) {
    Integer own = rebootsPerRegion.get(region);
    return own == null ? reboots : Math.min(own, reboots);
  }
}
