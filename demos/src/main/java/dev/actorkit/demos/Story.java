package dev.actorkit.demos;

import dev.actorkit.core.KitClock;
import java.io.PrintStream;
import java.time.Duration;

/**
 * The narration of a scenario: lines stamped with the story time since the scenario started, so a
 * run at {@code --speed 20} reads exactly like one at real time.
 *
 * <p>Thread-safe: actors and threads of a scenario may all tell it what happened; lines come out
 * whole, in the order they were told.
 */
public final class Story {

  private final PrintStream out;
  private final KitClock clock;
  private final Duration start;

  public Story(PrintStream out, KitClock clock) {
    this.out = out;
    this.clock = clock;
    this.start = clock.now();
  }

  /** A heading for one way of telling the story ("With threads and a plain field"). */
  public synchronized void section(String title) {
    out.println();
    out.println("== " + title + " ==");
  }

  /** A line of explanation, without a time stamp. */
  public synchronized void note(String text, Object... args) {
    out.println("   " + String.format(text, args));
  }

  /** Something that happened now, stamped with the story time. */
  public synchronized void say(String text, Object... args) {
    out.printf("[%7.2fs] %s%n", elapsed().toMillis() / 1000.0, String.format(text, args));
  }

  /** Story time since the scenario started. */
  public Duration elapsed() {
    return clock.now().minus(start);
  }
}
