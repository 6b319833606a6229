package dev.actorkit.demos;

import java.util.List;
import java.util.Map;

/**
 * One runnable classic story: {@code actorkit-demos run NAME}.
 *
 * <p>A scenario tells its story through {@link ScenarioContext#story()}: where the story has a
 * shared-memory form, first with threads and {@code java.util.concurrent} (what the Python example
 * does), then with actors. Every figure it returns is observed while it runs, never computed from
 * its options. Durations are story time on the kit clock, so {@code --speed} shortens the run
 * without changing the story.
 */
public interface Scenario {

  /** The name on the command line, lower case with dashes: {@code room}, {@code atm-race}. */
  String name();

  /** One line saying what the story is, for {@code list} and {@code --help}. */
  String title();

  /**
   * The scenario's own options, beside the common {@code --speed}, {@code --json} and {@code
   * --trace}.
   */
  default List<ScenarioOption> options() {
    return List.of();
  }

  /**
   * Refuses option values that are each in range but do not fit together (for example an item
   * number beyond the number of items), with an {@link IllegalArgumentException} that says why.
   * Called by the command line before the kit starts, after every option was checked against its
   * own range; the story runs only if this returns.
   */
  default void check(Map<String, Object> options) {}

  /**
   * {@link #check(Map)} for rules that also depend on the speed: a story whose steps must be long
   * enough in real time (threads need time to be scheduled) refuses shorter ones here.
   */
  default void check(Map<String, Object> options, double speed) {
    check(options);
  }

  /**
   * Runs the story on {@code context}'s kit, which the runner starts before and closes after.
   *
   * @return whether the scenario's invariants held, and its figures for {@code --json}
   */
  ScenarioResult run(ScenarioContext context) throws Exception;
}
