package dev.onramp.workflows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a fleet before anything starts (the CLI, the REST API, and the fleet workflow's first
 * action): its name, its limits, and every database as {@link RequestValidator} checks one
 * onboarding, each problem prefixed with the database's place ({@code databases[3]}); the same
 * database twice is refused, naming both places.
 */
public final class FleetValidator {
  /** The name becomes part of workflow ids: {@code fleet/<name>}. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

  /** A fleet file longer than this is better split: its request is one Temporal payload. */
  public static final int MAX_DATABASES = 5000;

  private FleetValidator() {}

  public static FleetRequest validate(FleetRequest request) {
    List<String> problems = problems(request);
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(problems);
    }
    return request;
  }

  public static List<String> problems(FleetRequest r) {
    List<String> p = new ArrayList<>();
    if (r == null) {
      return List.of("fleet: is missing");
    }
    if (r.name() == null || r.name().isBlank()) {
      p.add(
          "name: is empty; give the fleet a name such as q3-rollout (its workflow id is fleet/<name>)");
    } else if (!isName(r.name())) {
      p.add("name: " + notAName(r.name()));
    }
    limits(p, r.limits());
    if (r.historyEventsPerRun() != null && r.historyEventsPerRun() < 100) {
      p.add("historyEventsPerRun: " + r.historyEventsPerRun() + " is below 100");
    }
    if (r.databases() == null || r.databases().isEmpty()) {
      p.add("databases: is empty; list at least one database to onboard");
      return p;
    }
    if (r.databases().size() > MAX_DATABASES) {
      p.add(
          "databases: "
              + r.databases().size()
              + " databases; at most "
              + MAX_DATABASES
              + " per fleet, split the file");
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < r.databases().size(); i++) {
      OnboardingRequest d = r.databases().get(i);
      String where = "databases[" + i + "]";
      if (d == null) {
        p.add(where + ": is empty");
        continue;
      }
      List<String> own = RequestValidator.problems(d);
      own.forEach(problem -> p.add(where + "." + problem));
      if (!own.isEmpty()) {
        continue;
      }
      String id = OnboardingWorkflows.workflowId(d);
      Integer first = seen.putIfAbsent(id, i);
      if (first != null) {
        p.add(
            where
                + ": "
                + d.region()
                + "/"
                + d.dbInstanceId()
                + "/"
                + d.database()
                + " is already databases["
                + first
                + "]; each database once per fleet (add its tables to that entry)");
      }
      if (d.rebootSlotsFrom() != null) {
        p.add(where + ".rebootSlotsFrom: is set by the fleet; leave it out");
      }
    }
    return p;
  }

  /** Whether {@code name} can name a fleet (and so be part of its workflow id). */
  public static boolean isName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** Why {@code name} cannot name a fleet. */
  public static String notAName(String name) {
    return "'"
        + SqlIdentifiers.printable(name)
        + "' is not a fleet name (1-63 lower-case letters, digits or hyphens)";
  }

  private static void limits(List<String> p, FleetLimits l) {
    if (l == null) {
      return;
    }
    atLeastOne(p, "limits.onboardings", l.onboardings());
    atLeastOne(p, "limits.reboots", l.reboots());
    l.rebootsPerRegion()
        .forEach((region, n) -> atLeastOne(p, "limits.rebootsPerRegion." + region, n));
  }

  private static void atLeastOne(List<String> p, String field, Integer value) {
    if (value != null && value < 1) {
      p.add(
          field
              + ": "
              + value
              + " would start nothing; give 1 or more (pause the fleet to stop it for a while)");
    }
  }
}
