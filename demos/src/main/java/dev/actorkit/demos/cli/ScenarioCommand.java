package dev.actorkit.demos.cli;

import dev.actorkit.core.errors.KitException;
import dev.actorkit.demos.Scenario;
import dev.actorkit.demos.ScenarioOption;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code actorkit-demos run NAME [options]}: one scenario, its options built from what it declares.
 */
final class ScenarioCommand implements Callable<Integer> {

  private final Scenario scenario;
  private final PrintStream out;
  private final PrintStream err;
  private CommandSpec spec;

  private ScenarioCommand(Scenario scenario, PrintStream out, PrintStream err) {
    this.scenario = scenario;
    this.out = out;
    this.err = err;
  }

  static CommandLine commandLine(Scenario scenario, PrintStream out, PrintStream err) {
    ScenarioCommand command = new ScenarioCommand(scenario, out, err);
    CommandSpec spec = CommandSpec.wrapWithoutInspection(command);
    spec.name(scenario.name());
    spec.mixinStandardHelpOptions(true);
    spec.usageMessage().description(scenario.title());
    spec.addOption(
        OptionSpec.builder("--speed")
            .paramLabel("F")
            .type(double.class)
            .defaultValue("1")
            .description(
                "story time runs F times faster than real time (default: ${DEFAULT-VALUE})")
            .build());
    spec.addOption(
        OptionSpec.builder("--json")
            .type(boolean.class)
            .defaultValue("false")
            .description(
                "end with one line of JSON: scenario, ok, elapsed_ms and the scenario's figures")
            .build());
    spec.addOption(
        OptionSpec.builder("--trace")
            .paramLabel("FILE")
            .type(Path.class)
            .description("write the run's trace events as an HTML timeline to FILE")
            .build());
    for (ScenarioOption option : scenario.options()) {
      String range = option.rangeText().isEmpty() ? "" : "; " + option.rangeText();
      spec.addOption(
          OptionSpec.builder("--" + option.name())
              .paramLabel(option.type() == String.class ? "TEXT" : "N")
              .type(option.type())
              .defaultValue(option.defaultValue())
              .description(option.description() + " (default: ${DEFAULT-VALUE}" + range + ")")
              .build());
    }
    command.spec = spec;
    return new CommandLine(spec);
  }

  @Override
  public Integer call() throws Exception {
    double speed = spec.findOption("--speed").getValue();
    boolean json = spec.findOption("--json").getValue();
    Path trace = spec.findOption("--trace").getValue();
    Map<String, Object> options = new HashMap<>();
    for (ScenarioOption option : scenario.options()) {
      options.put(option.name(), spec.findOption("--" + option.name()).getValue());
    }
    Optional<String> refusal = ScenarioRunner.refusal(scenario, options, speed, trace);
    if (refusal.isPresent()) {
      err.println("error: " + refusal.get());
      return 2;
    }
    ScenarioRunner.Outcome outcome;
    try {
      outcome = new ScenarioRunner(out).run(scenario, options, speed, trace);
    } catch (KitException e) {
      // A wait in the story ran out (or the kit refused): one line, not a stack trace.
      err.println("error: the story did not finish: " + e.getMessage());
      return 1;
    }
    out.println();
    out.printf(
        "%s: %s in %d ms%n",
        scenario.name(), outcome.result().ok() ? "ok" : "NOT OK", outcome.elapsedMs());
    if (json) {
      out.println(outcome.json());
    }
    return outcome.result().ok() ? 0 : 1;
  }
}
