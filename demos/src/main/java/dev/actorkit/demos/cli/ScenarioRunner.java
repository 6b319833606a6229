package dev.actorkit.demos.cli;

import dev.actorkit.core.ActorKit;
import dev.actorkit.core.console.Json;
import dev.actorkit.core.trace.Tracer;
import dev.actorkit.demos.Scenario;
import dev.actorkit.demos.ScenarioContext;
import dev.actorkit.demos.ScenarioOption;
import dev.actorkit.demos.ScenarioResult;
import dev.actorkit.demos.Story;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs one scenario in a kit of its own: start the kit, tell the story, close the kit, report. */
final class ScenarioRunner {

  /**
   * How one run went: the scenario's result and the wall-clock time of its story (not the kit's
   * start and stop).
   */
  record Outcome(Scenario scenario, ScenarioResult result, long elapsedMs) {

    /** The {@code --json} line: scenario, ok and elapsed_ms first, then the scenario's figures. */
    String json() {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("scenario", scenario.name());
      line.put("ok", result.ok());
      line.put("elapsed_ms", elapsedMs);
      line.putAll(result.figures());
      return Json.write(line);
    }
  }

  private final PrintStream out;

  ScenarioRunner(PrintStream out) {
    this.out = out;
  }

  /**
   * Why the run would be refused before anything starts, or empty: the speed, each option against
   * its range, the scenario's own rules between options, and a trace file that cannot be written.
   */
  static Optional<String> refusal(
      Scenario scenario, Map<String, Object> options, double speed, Path traceFile) {
    if (!validSpeed(speed)) {
      return Optional.of(speedRefusal(speed));
    }
    for (ScenarioOption option : scenario.options()) {
      Optional<String> refused = option.refusal(options.get(option.name()));
      if (refused.isPresent()) {
        return refused;
      }
    }
    try {
      scenario.check(options, speed);
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
    if (traceFile != null) {
      Path absolute = traceFile.toAbsolutePath();
      Path folder = absolute.getParent();
      if (Files.isDirectory(absolute)) {
        return Optional.of("--trace " + traceFile + " is a directory; give a file name");
      }
      if (folder == null
          || !Files.isDirectory(folder)
          || !Files.isWritable(folder)
          || (Files.exists(absolute) && !Files.isWritable(absolute))) {
        return Optional.of(
            "--trace " + traceFile + " cannot be written (is its folder there and writable?)");
      }
    }
    return Optional.empty();
  }

  /** Whether {@code speed} can drive a kit clock; if not, says why on {@code err}. */
  static boolean validSpeed(double speed, PrintStream err) {
    if (validSpeed(speed)) {
      return true;
    }
    err.println("error: " + speedRefusal(speed));
    return false;
  }

  private static boolean validSpeed(double speed) {
    return speed > 0 && !Double.isInfinite(speed);
  }

  private static String speedRefusal(double speed) {
    return "--speed must be a positive number, was " + speed;
  }

  /**
   * Says in the story when a duration option is shorter, in real time, than the scheduler's tick:
   * the kit's timers cannot fire sooner than one tick, so such steps last longer than the story
   * says and the timings it reports are stretched.
   */
  private static void noteStepsBelowTheTick(
      Scenario scenario, Map<String, Object> options, double speed, Duration tick, Story story) {
    for (ScenarioOption option : scenario.options()) {
      if (option.storySeconds()
          && options.get(option.name()) instanceof Double seconds
          && seconds > 0) {
        double realMs = seconds * 1000 / speed;
        if (realMs < tick.toMillis()) {
          story.note(
              "note: --%s %s s at --speed %s is %.2f ms of real time, below the scheduler's %d ms tick: each such step",
              option.name(), seconds, speed, realMs, tick.toMillis());
          story.note(
              "      lasts at least one tick, so this story runs up to %.0fx slower than its story time says, and its timings are stretched.",
              tick.toMillis() / realMs);
        }
      }
    }
  }

  Outcome run(Scenario scenario, Map<String, Object> options, double speed, Path traceFile)
      throws Exception {
    ScenarioResult result;
    long elapsedNanos;
    try (ActorKit kit = ActorKit.create("actorkit", ActorKit.speed(speed))) {
      Tracer tracer = kit.tracer();
      if (traceFile != null) {
        tracer.start();
      }
      Story story = new Story(out, kit.clock());
      noteStepsBelowTheTick(
          scenario,
          options,
          speed,
          kit.system().settings().config().getDuration("akka.scheduler.tick-duration"),
          story);
      long start = System.nanoTime();
      result = scenario.run(new ScenarioContext(kit, story, options));
      elapsedNanos = System.nanoTime() - start;
      if (traceFile != null) {
        tracer.stop();
        Files.writeString(
            traceFile, TraceHtml.render(scenario.name(), tracer.events(), tracer.dropped()));
        story.note("");
        story.note("The trace (%d events) is in %s.", tracer.events().size(), traceFile);
      }
    } catch (IOException e) {
      throw new IOException("could not write the trace to " + traceFile + ": " + e.getMessage(), e);
    }
    return new Outcome(scenario, result, TimeUnit.NANOSECONDS.toMillis(elapsedNanos));
  }
}
