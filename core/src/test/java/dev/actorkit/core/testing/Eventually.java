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
    eventually(BOUND, assertion);
  }

  /**
   * Retries {@code assertion} every 2 ms until it holds, for up to {@code bound} (for what settles
   * only after the cluster has noticed a dead JVM); then throws its last failure.
   */
  public static void eventually(Duration bound, Runnable assertion) {
    long deadline = System.nanoTime() + bound.toNanos();
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
