package dev.actorkit.demos.cli;

import dev.actorkit.core.ActorKit;
import dev.actorkit.core.KitDispatcher;
import dev.actorkit.demos.Scenario;
import dev.actorkit.demos.Scenarios;
import dev.actorkit.patterns.buffer.BoundedBuffer;
import dev.actorkit.patterns.buffer.BufferClient;
import dev.actorkit.patterns.mutex.Mutex;
import dev.actorkit.patterns.mutex.MutexClient;
import dev.actorkit.patterns.pool.WorkerPool;
import dev.actorkit.patterns.pool.WorkerPoolClient;
import dev.actorkit.patterns.semaphore.Semaphore;
import dev.actorkit.patterns.semaphore.SemaphoreClient;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
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
    top.addSubcommand("console", new ConsoleCommand(out, err, System.in));
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
          "Starts a representative kit (a pool on the blocking dispatcher, one on the compute"
              + " dispatcher, a few primitives) and prints its dispatchers and which actors run on"
              + " them.")
  static final class Tree implements Runnable {
    private final PrintStream out;

    Tree(PrintStream out) {
      this.out = out;
    }

    @Override
    public void run() {
      try (ActorKit kit = ActorKit.create("actorkit")) {
        out.printf(
            "Dispatchers (on this machine, %d cores)%n",
            Runtime.getRuntime().availableProcessors());
        out.printf("  %-36s %-22s %8s %11s%n", "dispatcher", "executor", "threads", "throughput");
        List<KitDispatcher.Summary> summaries = new ArrayList<>();
        summaries.add(
            KitDispatcher.summaryOf(
                "akka.actor.default-dispatcher", kit.system().settings().config()));
        for (KitDispatcher dispatcher : KitDispatcher.values()) {
          summaries.add(dispatcher.summary(kit.system()));
        }
        for (KitDispatcher.Summary summary : summaries) {
          out.printf(
              "  %-36s %-22s %8d %11d%n",
              summary.id(),
              summary.executor().equals("default-executor")
                  ? "fork-join (default)"
                  : summary.executor(),
              summary.threads(),
              summary.throughput());
        }
        out.println();
        out.println("Who runs where: primitives and pool coordinators on coordination, blocking");
        out.println("work on blocking, CPU-bound work on compute");
        MutexClient.create(kit, "till", Mutex.Settings.defaults());
        SemaphoreClient.create(kit, "room", Semaphore.Settings.bounded(2));
        BufferClient.create(kit, "basket", BoundedBuffer.Settings.of(5));
        WorkerPoolClient downloads =
            WorkerPoolClient.create(kit, "downloads", WorkerPool.Settings.blocking(2));
        WorkerPoolClient primes =
            WorkerPoolClient.create(kit, "primes", WorkerPool.Settings.compute(2));
        // A pool starts its workers with its first tasks: give each two.
        for (WorkerPoolClient pool : List.of(downloads, primes)) {
          List.of(pool.submit(() -> 1), pool.submit(() -> 2))
              .forEach(task -> task.result(Duration.ofSeconds(10)));
        }
        out.print(kit.tree().render());
      }
    }
  }
}
