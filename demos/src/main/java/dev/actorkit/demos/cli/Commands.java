package dev.actorkit.demos.cli;

import akka.actor.typed.ActorRef;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.demos.Scenario;
import dev.actorkit.demos.Scenarios;
import dev.actorkit.demos.Story;
import dev.actorkit.demos.scenarios.HelloScenario;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line's commands. */
public final class Commands {

  private Commands() {}

  /** The whole command line, printing to {@code out} and {@code err}. */
  public static CommandLine commandLine(PrintStream out, PrintStream err) {
    CommandLine top = new CommandLine(new Top());
    top.addSubcommand("list", new ListScenarios(out));
    CommandLine run = new CommandLine(new Run());
    for (Scenario scenario : Scenarios.all()) {
      run.addSubcommand(scenario.name(), ScenarioCommand.commandLine(scenario, out, err));
    }
    top.addSubcommand("run", run);
    top.addSubcommand("tour", new Tour(out, err));
    top.addSubcommand("tree", new Tree(out));
    top.setOut(new PrintWriter(out, true));
    top.setErr(new PrintWriter(err, true));
    return top;
  }

  @Command(
      name = "actorkit-demos",
      mixinStandardHelpOptions = true,
      version = "actorkit-demos 0.1.0",
      description = "Python's classic concurrency stories, told with threads and then with actors.")
  static final class Top implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getOut());
    }
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description =
          "Runs one scenario: run NAME [--speed F] [--json] [--trace FILE] [its options].")
  static final class Run implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** {@code run} without a scenario is a mistake: say so, list the scenarios, exit 2. */
    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "error: name the scenario to run: run NAME [--speed F] [--json] [--trace FILE] [its options]");
      err.println("scenarios:");
      for (Scenario scenario : Scenarios.all()) {
        err.printf("  %-18s %s%n", scenario.name(), scenario.title());
      }
      err.flush();
      return 2;
    }
  }

  @Command(name = "list", description = "Names every scenario.")
  static final class ListScenarios implements Runnable {
    private final PrintStream out;

    ListScenarios(PrintStream out) {
      this.out = out;
    }

    @Override
    public void run() {
      for (Scenario scenario : Scenarios.all()) {
        out.printf("%-18s %s%n", scenario.name(), scenario.title());
      }
    }
  }

  @Command(
      name = "tour",
      mixinStandardHelpOptions = true,
      description = "Runs every scenario with its defaults, fast, and ends with a summary table.")
  static final class Tour implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;

    @Option(
        names = "--speed",
        paramLabel = "F",
        defaultValue = "50",
        description = "story time runs F times faster than real time (default: ${DEFAULT-VALUE})")
    double speed;

    @Option(
        names = "--skip",
        paramLabel = "NAME",
        split = ",",
        description =
            "scenarios to leave out, comma-separated (for a quick tour: --skip failover,durable-bank,"
                + " which wait for real failure detection)")
    List<String> skip = new ArrayList<>();

    Tour(PrintStream out, PrintStream err) {
      this.out = out;
      this.err = err;
    }

    @Override
    public Integer call() {
      if (!ScenarioRunner.validSpeed(speed, err)) {
        return 2;
      }
      for (String name : skip) {
        if (Scenarios.named(name).isEmpty()) {
          err.println("--skip " + name + ": no such scenario (see: list)");
          return 2;
        }
      }
      ScenarioRunner runner = new ScenarioRunner(out);
      List<ScenarioRunner.Outcome> outcomes = new ArrayList<>();
      List<String> failures = new ArrayList<>();
      for (Scenario scenario : Scenarios.all()) {
        if (skip.contains(scenario.name())) {
          continue;
        }
        out.println();
        out.println("################ " + scenario.name() + ": " + scenario.title());
        try {
          outcomes.add(runner.run(scenario, defaults(scenario), speed, null));
        } catch (Exception e) {
          failures.add(scenario.name() + ": " + e);
          e.printStackTrace(err);
        }
      }
      out.println();
      out.printf("Tour summary (speed %s)%n", speed);
      out.printf("%-18s %-6s %10s%n", "scenario", "ok", "elapsed");
      for (ScenarioRunner.Outcome outcome : outcomes) {
        out.printf(
            "%-18s %-6s %7d ms%n",
            outcome.scenario().name(), outcome.result().ok() ? "yes" : "NO", outcome.elapsedMs());
      }
      failures.forEach(
          failure ->
              out.printf(
                  "%-18s %-6s %s%n",
                  failure.substring(0, failure.indexOf(':')), "FAILED", failure));
      boolean allOk =
          failures.isEmpty() && outcomes.stream().allMatch(outcome -> outcome.result().ok());
      return allOk ? 0 : 1;
    }

    private static Map<String, Object> defaults(Scenario scenario) {
      Map<String, Object> options = new HashMap<>();
      CommandLine line = ScenarioCommand.commandLine(scenario, System.out, System.err);
      line.parseArgs();
      scenario
          .options()
          .forEach(
              option ->
                  options.put(
                      option.name(),
                      line.getCommandSpec().findOption("--" + option.name()).getValue()));
      return options;
    }
  }

  @Command(
      name = "tree",
      description =
          "Starts a kit and prints its actor hierarchy: branches, dispatchers, supervision.")
  static final class Tree implements Runnable {
    private final PrintStream out;

    Tree(PrintStream out) {
      this.out = out;
    }

    @Override
    public void run() {
      try (ActorKit kit = ActorKit.create("actorkit")) {
        Story quiet = new Story(new PrintStream(PrintStream.nullOutputStream()), kit.clock());
        ActorRef<HelloScenario.Hello> pong =
            kit.spawn(Branch.PRIMITIVES, "pong", HelloScenario.pong(quiet), SpawnOptions.daemon());
        kit.spawn(
            Branch.PRIMITIVES,
            "ping",
            HelloScenario.Ping.create(pong, 1, quiet, new ArrayList<>()),
            SpawnOptions.daemon());
        out.print(kit.tree().render());
      }
    }
  }
}
