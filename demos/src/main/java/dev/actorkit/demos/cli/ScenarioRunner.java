package dev.actorkit.demos.cli;

import dev.actorkit.core.ActorKit;
import dev.actorkit.core.trace.Tracer;
import dev.actorkit.demos.Scenario;
import dev.actorkit.demos.ScenarioContext;
import dev.actorkit.demos.ScenarioResult;
import dev.actorkit.demos.Story;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one scenario in a kit of its own: start the kit, tell the story, close the kit, report. */
final class ScenarioRunner {

  /** How one run went: the scenario's result and the wall-clock time of its story (not the kit's start and stop). */
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

  /** Whether {@code speed} can drive a kit clock; if not, says why on {@code err}. */
  static boolean validSpeed(double speed, PrintStream err) {
    if (speed > 0 && !Double.isInfinite(speed)) {
      return true;
    }
    err.println("error: --speed must be a positive number, was " + speed);
    return false;
  }

  Outcome run(Scenario scenario, Map<String, Object> options, double speed, Path traceFile) throws Exception {
    ScenarioResult result;
    long elapsedNanos;
    try (ActorKit kit = ActorKit.create("actorkit", ActorKit.speed(speed))) {
      Tracer tracer = kit.tracer();
      if (traceFile != null) {
        tracer.start();
      }
      Story story = new Story(out, kit.clock());
      long start = System.nanoTime();
      result = scenario.run(new ScenarioContext(kit, story, options));
      elapsedNanos = System.nanoTime() - start;
      if (traceFile != null) {
        tracer.stop();
        Files.writeString(traceFile, TraceHtml.render(scenario.name(), tracer.events(), tracer.dropped()));
        story.note("");
        story.note("The trace (%d events) is in %s.", tracer.events().size(), traceFile);
      }
    } catch (IOException e) {
      throw new IOException("could not write the trace to " + traceFile + ": " + e.getMessage(), e);
    }
    return new Outcome(scenario, result, TimeUnit.NANOSECONDS.toMillis(elapsedNanos));
  }
}
