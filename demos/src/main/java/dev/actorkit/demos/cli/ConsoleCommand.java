package dev.actorkit.demos.cli;

import dev.actorkit.core.ActorKit;
import dev.actorkit.core.console.KitConsole;
import dev.actorkit.core.errors.KitException;
import dev.actorkit.demos.Scenario;
import dev.actorkit.demos.ScenarioContext;
import dev.actorkit.demos.ScenarioOption;
import dev.actorkit.demos.ScenarioResult;
import dev.actorkit.demos.Scenarios;
import dev.actorkit.demos.Story;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code actorkit-demos console [SCENARIO] [--speed F] [--port P]}: runs one scenario (with its
 * default options) in a kit that serves its live console ({@link KitConsole}), so a learner can
 * watch the holders, the queue and the wait-for graph change as the story goes.
 *
 * <p>The console listens only while a page is open (or a {@code /state} read is answered), so the
 * story waits for the first page to connect (or for Enter, or at once with {@code --no-wait}) and
 * the page sees it from its start. When the story ends the console keeps serving the kit as the
 * story left it until Enter (or Ctrl-C; with {@code --exit}, it closes at once). A closed standard
 * input counts as Enter, so the command never hangs without a terminal.
 */
@Command(
    name = "console",
    mixinStandardHelpOptions = true,
    description =
        "Runs a scenario slowly with the kit's live console on 127.0.0.1: a page that shows the"
            + " actor tree, who holds and who waits for each primitive, levels and the wait-for"
            + " graph, as it happens.")
final class ConsoleCommand implements Callable<Integer> {

  private final PrintStream out;
  private final PrintStream err;
  private final Keyboard keyboard;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "SCENARIO",
      defaultValue = "room",
      description = "the scenario to run with its default options (default: ${DEFAULT-VALUE})")
  String scenarioName;

  @Option(
      names = "--speed",
      paramLabel = "F",
      defaultValue = "0.5",
      description =
          "story time runs F times faster than real time; below 1 is slower (default:"
              + " ${DEFAULT-VALUE})")
  double speed;

  @Option(
      names = "--port",
      paramLabel = "P",
      defaultValue = "0",
      description = "the port on 127.0.0.1 to serve on; 0 picks a free one (default: 0)")
  int port;

  @Option(
      names = "--no-wait",
      description = "start the story at once instead of waiting for a page to connect")
  boolean noWait;

  @Option(names = "--exit", description = "close the console as soon as the story ends")
  boolean exitAtEnd;

  ConsoleCommand(PrintStream out, PrintStream err, InputStream in) {
    this.out = out;
    this.err = err;
    this.keyboard = new Keyboard(in);
  }

  @Override
  public Integer call() throws Exception {
    Optional<Scenario> named = Scenarios.named(scenarioName);
    if (named.isEmpty()) {
      err.println("error: no scenario named " + scenarioName + " (see: list)");
      return 2;
    }
    if (port < 0 || port > 65_535) {
      err.println("error: --port must be between 0 and 65535, was " + port);
      return 2;
    }
    Scenario scenario = named.get();
    Map<String, Object> options = defaults(scenario);
    Optional<String> refusal = ScenarioRunner.refusal(scenario, options, speed, null);
    if (refusal.isPresent()) {
      err.println("error: " + refusal.get());
      return 2;
    }
    try (ActorKit kit = ActorKit.create("actorkit", ActorKit.speed(speed))) {
      KitConsole console;
      try {
        console = kit.console(port);
      } catch (UncheckedIOException e) {
        err.println("error: " + e.getMessage());
        return 2;
      }
      out.println("The live console: " + console.uri());
      if (!noWait) {
        out.println(
            "Open it in a browser; "
                + scenario.name()
                + " starts when the page connects (or press Enter to start now).");
        CompletableFuture.anyOf(keyboard.nextPress(), console.firstViewer().toCompletableFuture())
            .exceptionally(closed -> null)
            .join();
      }
      out.printf("Running %s at speed %s.%n", scenario.name(), speed);
      ScenarioResult result;
      try {
        result = scenario.run(new ScenarioContext(kit, new Story(out, kit.clock()), options));
      } catch (KitException e) {
        err.println("error: the story did not finish: " + e.getMessage());
        return 1;
      }
      out.println();
      out.printf("%s: %s.%n", scenario.name(), result.ok() ? "ok" : "NOT OK");
      if (!exitAtEnd) {
        // Asked for before the prompt: a press that answers the prompt may come before this thread
        // gets past the println, and must count (presses during the story do not).
        CompletableFuture<Void> enter = keyboard.nextPress();
        out.println(
            "The console still shows the kit as the story left it at "
                + console.uri()
                + "; press Enter to close it (or Ctrl-C).");
        try {
          enter.join();
        } catch (CancellationException | CompletionException gone) {
          // Nothing more to wait for.
        }
      }
      return result.ok() ? 0 : 1;
    }
  }

  /** The scenario's options at their defaults, as {@code run NAME} would have them. */
  private Map<String, Object> defaults(Scenario scenario) {
    CommandLine line = ScenarioCommand.commandLine(scenario, out, err);
    line.parseArgs();
    Map<String, Object> options = new HashMap<>();
    for (ScenarioOption option : scenario.options()) {
      options.put(option.name(), line.getCommandSpec().findOption("--" + option.name()).getValue());
    }
    return options;
  }

  /**
   * Enter presses on standard input, read by a daemon thread started on first use: {@link
   * #nextPress()} completes at the first press after it was called, or at once once the input has
   * ended.
   */
  static final class Keyboard {
    private final InputStream in;
    private CompletableFuture<Void> next = new CompletableFuture<>();
    private boolean ended;
    private Thread reader;

    Keyboard(InputStream in) {
      this.in = in;
    }

    synchronized CompletableFuture<Void> nextPress() {
      if (reader == null) {
        reader = new Thread(this::read, "actorkit-demos-keyboard");
        reader.setDaemon(true);
        reader.start();
      }
      return ended ? CompletableFuture.completedFuture(null) : next;
    }

    private void read() {
      try (BufferedReader lines =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        while (lines.readLine() != null) {
          CompletableFuture<Void> pressed;
          synchronized (this) {
            pressed = next;
            next = new CompletableFuture<>();
          }
          pressed.complete(null);
        }
      } catch (IOException e) {
        // An input that fails is an input that ended.
      }
      CompletableFuture<Void> last;
      synchronized (this) {
        ended = true;
        last = next;
      }
      last.complete(null);
    }
  }
}
