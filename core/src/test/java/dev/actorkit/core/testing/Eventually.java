package dev.actorkit.core.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * An assertion about something that settles asynchronously — a stand-in that stopped, a death that
 * a primitive has yet to hear of — retried until it holds or its bound passes. The bound is the
 * only clock: a test that passes never waits for it.
 */
public final class Eventually {

  private static final Duration BOUND = Duration.ofSeconds(10);

  private Eventually() {}

  /**
   * Retries {@code assertion} every 2 ms until it holds, for up to 10 s; then throws its last
   * failure.
   */
  public static void eventually(Runnable assertion) {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (true) {
      try {
        assertion.run();
        return;
      } catch (AssertionError notYet) {
        if (System.nanoTime() > deadline) {
          throw notYet;
        }
        LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
      }
    }
  }
}
