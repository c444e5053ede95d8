package dev.onramp.cli.commands;

import dev.onramp.activities.ledger.Removal;
import dev.onramp.cli.CliException;
import dev.onramp.cli.ExitCodes;
import dev.onramp.cli.Output;
import dev.onramp.cli.Target;
import dev.onramp.cli.TemporalOptions;
import dev.onramp.workflows.InvalidRequestException;
import dev.onramp.workflows.OnboardingFailures;
import dev.onramp.workflows.TableChangeResult;
import dev.onramp.workflows.client.TableChangeClient;
import dev.onramp.workflows.client.TemporalConnection;
import dev.onramp.workflows.tables.TableChangeAction;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code onramp tables add|drop TARGET t1,t2}. */
@Command(
    name = "tables",
    mixinStandardHelpOptions = true,
    description = {
      "Add tables to, or drop them from, an onboarded database's replication without recreating"
          + " the Materialize source.",
      "add: REPLICA IDENTITY FULL, the publication and SELECT upstream, then a relation"
          + " <source>_<table> in Materialize (ALTER SOURCE ... ADD SUBSOURCE, or CREATE TABLE ..."
          + " FROM SOURCE on Materialize v26+).",
      "drop: the relation is dropped in Materialize, then the table leaves the publication and"
          + " gets back the replica identity and grants it had before onramp."
    },
    subcommands = {TablesCommand.Add.class, TablesCommand.Drop.class})
public class TablesCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description =
          "Add tables to an onboarded database's replication. A table that does not exist, or that"
              + " has no REPLICA IDENTITY FULL and cannot be given it, is refused and nothing"
              + " changes.")
  static class Add extends Change {
    Add() {
      super(TableChangeAction.ADD);
    }
  }

  @Command(
      name = "drop",
      mixinStandardHelpOptions = true,
      description =
          "Stop replicating tables of an onboarded database; the other tables keep streaming.")
  static class Drop extends Change {
    Drop() {
      super(TableChangeAction.DROP);
    }
  }

  abstract static class Change implements Callable<Integer> {
    private final TableChangeAction action;

    @Mixin TemporalOptions temporal;
    @Mixin Output output;

    @Parameters(
        index = "0",
        paramLabel = "TARGET",
        description = "region/instance/database or the onboarding's workflow id.")
    String target;

    @Parameters(
        index = "1",
        paramLabel = "TABLES",
        description = "Comma-separated tables: orders,shop.customers,\"Line Items\".")
    String tables;

    @Option(
        names = "--timeout",
        defaultValue = "PT30M",
        description =
            "How long to wait for the change to finish (ISO-8601, default ${DEFAULT-VALUE}).")
    Duration timeout;

    Change(TableChangeAction action) {
      this.action = action;
    }

    @Override
    public Integer call() throws Exception {
      String onboarding = Target.workflowId(target);
      List<String> names = split(tables);
      try (TemporalConnection c = temporal.connect()) {
        TableChangeClient client = new TableChangeClient(c.client(), temporal.taskQueue);
        String id;
        try {
          id = client.start(onboarding, action, names);
        } catch (TableChangeClient.NotOnboardedException e) {
          throw new CliException(ExitCodes.NOT_FOUND, e.getMessage());
        } catch (TableChangeClient.AlreadyRunningException e) {
          throw new CliException(ExitCodes.CONFLICT, e.getMessage());
        } catch (InvalidRequestException e) {
          throw new CliException(ExitCodes.BAD_INPUT, e.getMessage());
        }
        if (!output.json()) {
          System.out.println(
              "started " + id + " (" + action.name().toLowerCase() + " " + names + ")");
        }
        TableChangeResult result;
        try {
          result = await(client, id);
        } catch (WorkflowFailedException e) {
          throw failed(e);
        }
        if (result == null) {
          throw new CliException(
              ExitCodes.STILL_RUNNING,
              "still running after " + timeout + ": " + id + "; it goes on in the background");
        }
        render(result);
        return ExitCodes.OK;
      }
    }

    /** Waits for the result, printing each new step as the workflow reports it. */
    private TableChangeResult await(TableChangeClient client, String id) throws Exception {
      CompletableFuture<TableChangeResult> result =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return client.awaitResult(id, timeout);
                } catch (RuntimeException e) {
                  throw e;
                } catch (Exception e) {
                  throw new RuntimeException(e);
                }
              });
      String shown = null;
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        try {
          return result.get(500, TimeUnit.MILLISECONDS);
        } catch (TimeoutException notYet) {
          if (!output.json()) {
            try {
              String step = client.progress(id);
              if (!step.equals(shown)) {
                System.out.println("  " + step);
                shown = step;
              }
            } catch (RuntimeException e) {
              // The query answers once a worker has picked the run up; keep waiting.
            }
          }
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof Exception ex) {
            if (ex instanceof RuntimeException r && r.getCause() instanceof TimeoutException) {
              return null;
            }
            throw ex;
          }
          throw e;
        }
      }
      return null;
    }

    private CliException failed(WorkflowFailedException e) {
      Throwable t = e;
      while (t.getCause() != null && t.getCause() != t) {
        t = t.getCause();
      }
      String message =
          t instanceof ApplicationFailure af ? af.getOriginalMessage() : t.getMessage();
      String type = t instanceof ApplicationFailure af ? af.getType() : "";
      if (output.json()) {
        System.out.println(
            Output.toJson(java.util.Map.of("failed", true, "type", type, "message", message)));
      }
      int code =
          List.of(
                      OnboardingFailures.INVALID_REQUEST,
                      OnboardingFailures.TABLE_NOT_FOUND,
                      OnboardingFailures.TABLE_NOT_REPLICABLE)
                  .contains(type)
              ? ExitCodes.BAD_INPUT
              : OnboardingFailures.NOT_REACHABLE.equals(type)
                  ? ExitCodes.UNREACHABLE
                  : ExitCodes.ONBOARDING_FAILED;
      return new CliException(code, "table change failed: " + message);
    }

    private void render(TableChangeResult r) {
      if (output.json()) {
        System.out.println(Output.toJson(r));
        return;
      }
      System.out.println(
          r.dbInstanceId()
              + "/"
              + r.database()
              + ": "
              + r.action().name().toLowerCase()
              + " "
              + String.join(", ", r.tables())
              + " done");
      if (r.changes().isEmpty()) {
        System.out.println("  nothing to change");
      }
      r.changes().forEach(ch -> System.out.println("  - " + ch));
      for (Removal k : r.removals()) {
        if (k.outcome() != dev.onramp.activities.ledger.RemovalOutcome.REMOVED
            && k.outcome() != dev.onramp.activities.ledger.RemovalOutcome.RESTORED) {
          System.out.println("  kept: " + k.message());
        }
      }
    }

    private static List<String> split(String text) {
      List<String> out = new java.util.ArrayList<>();
      StringBuilder cur = new StringBuilder();
      boolean quoted = false;
      for (char ch : text.toCharArray()) {
        if (ch == '"') {
          quoted = !quoted;
        }
        if (ch == ',' && !quoted) {
          out.add(cur.toString().trim());
          cur.setLength(0);
        } else {
          cur.append(ch);
        }
      }
      out.add(cur.toString().trim());
      if (out.stream().anyMatch(String::isEmpty)) {
        throw new CliException(
            ExitCodes.BAD_INPUT,
            "TABLES '" + text + "' has an empty name; write e.g. orders,shop.customers");
      }
      // Refused before Temporal is contacted.
      for (String name : out) {
        try {
          dev.onramp.workflows.SqlIdentifiers.parseQualified(name, "public");
        } catch (IllegalArgumentException e) {
          throw new CliException(
              ExitCodes.BAD_INPUT,
              "TABLES: '"
                  + name
                  + "' is not a table name ("
                  + e.getMessage()
                  + "); write e.g. orders,shop.customers,\"Line Items\"");
        }
      }
      return out;
    }
  }
}
