package dev.actorkit.patterns.pool;

import dev.actorkit.core.errors.InterruptedWaitException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How many more tasks a pool accepts, decided in the submitting thread so that a submit costs
 * one tell and no round trip: one permit per unfinished task, returned when the task ends in
 * any way, and a closed flag set by shutdown. Shared by every client of one pool; the
 * coordinator actor hands it out on {@link WorkerPool.Connect}.
 */
public final class Admission {

  /** What an attempt to enter found. */
  enum Entry {
    ADMITTED,
    FULL,
    CLOSED
  }

  private final Semaphore permits;
  private volatile boolean closed;

  Admission(int permits) {
    this.permits = new Semaphore(permits);
  }

  /** An admission for a pool with these settings: queue capacity plus one per worker. */
  public static Admission forPool(WorkerPool.Settings settings) {
    long permits = (long) settings.queueCapacity() + settings.workers();
    return new Admission((int) Math.min(Integer.MAX_VALUE, permits));
  }

  /** Takes {@code count} permits, waiting up to {@code realTimeout} (zero: not at all). */
  Entry enter(int count, Duration realTimeout) {
    if (closed) {
      return Entry.CLOSED;
    }
    try {
      boolean admitted =
          realTimeout.isZero()
              ? permits.tryAcquire(count)
              : permits.tryAcquire(count, realTimeout.toNanos(), TimeUnit.NANOSECONDS);
      if (!admitted) {
        return Entry.FULL;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedWaitException("room in the pool's queue", e);
    }
    if (closed) {
      permits.release(count);
      return Entry.CLOSED;
    }
    return Entry.ADMITTED;
  }

  /** A task has ended; its permit is free again. */
  void release() {
    permits.release();
  }

  /** From now on, nothing is admitted. */
  void close() {
    closed = true;
  }

  boolean isClosed() {
    return closed;
  }
}
