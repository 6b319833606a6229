package dev.actorkit.patterns.pool;

import dev.actorkit.core.errors.InterruptedWaitException;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.errors.TimedOutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How many more tasks a pool accepts, decided in the submitting thread so that a submit costs one
 * tell and no round trip: one permit per unfinished task, returned when the task ends in any way,
 * and a closed flag set by shutdown. Shared by every client of one pool; the coordinator actor
 * hands it out on {@link WorkerPool.Connect}.
 *
 * <p>A caller that must not block (a {@code map_async} feeding its next chunk) asks with {@link
 * #enterLater()}: a returned permit goes to the first such waiter, in the thread that returned it.
 * A waiter that withdraws (cancels its stage) gives its permit back if it was granted meanwhile.
 * Blocking {@link #enter}s and later entries compete for returned permits with no fairness between
 * them. Thread-safe.
 */
public final class Admission {

  /** What an attempt to enter found. */
  public enum Entry {
    ADMITTED,
    FULL,
    CLOSED
  }

  private final Semaphore permits;
  private final ConcurrentLinkedQueue<CompletableFuture<Entry>> later =
      new ConcurrentLinkedQueue<>();
  private volatile boolean closed;

  private final int capacity;

  Admission(int permits) {
    this.permits = new Semaphore(permits);
    this.capacity = permits;
  }

  /**
   * Whether every permit is back: no task is unfinished and no submit is on its way to the pool. A
   * pool that shuts down stops only then, so that a submit admitted just before the shutdown still
   * reaches it (and is refused there) instead of a stopped actor.
   */
  public boolean allReturned() {
    return permits.availablePermits() == capacity;
  }

  /** An admission with {@code permits} places (a pool's queue capacity plus one per worker). */
  public static Admission of(int permits) {
    return new Admission(permits);
  }

  /** An admission for a pool with these settings: queue capacity plus one per worker. */
  public static Admission forPool(WorkerPool.Settings settings) {
    long permits = (long) settings.queueCapacity() + settings.workers();
    return new Admission((int) Math.min(Integer.MAX_VALUE, permits));
  }

  /** Takes {@code count} permits, waiting up to {@code realTimeout} (zero: not at all). */
  public Entry enter(int count, Duration realTimeout) {
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

  /**
   * Admits {@code count} tasks to the pool {@code pool} or throws: with {@link
   * WorkerPool.WhenFull#WAIT} it waits up to {@code storyTimeout} ({@code realTimeout} on the
   * clock) and then throws {@link TimedOutException}; with {@code REJECT} a full pool throws {@link
   * RejectedException} at once; a shut-down pool always throws {@code RejectedException}. Nothing
   * is taken when it throws.
   *
   * @param full how the pool's capacity reads in the refusal ("10 queued and 2 running")
   */
  public void admit(
      int count,
      WorkerPool.WhenFull whenFull,
      Duration storyTimeout,
      Duration realTimeout,
      String pool,
      String full) {
    boolean waits = whenFull == WorkerPool.WhenFull.WAIT;
    switch (enter(count, waits ? realTimeout : Duration.ZERO)) {
      case ADMITTED -> {}
      case CLOSED -> throw new RejectedException(pool, "the pool is shut down");
      case FULL -> {
        if (waits) {
          throw new TimedOutException("room for " + count + " task(s) in " + pool, storyTimeout);
        }
        throw new RejectedException(pool, "the pool is full (" + full + ")");
      }
    }
  }

  /**
   * One permit, without blocking: completes with {@link Entry#ADMITTED} (the permit is the
   * caller's) or {@link Entry#CLOSED}, at once or in the thread that next returns a permit.
   * Cancelling the stage withdraws the wait.
   */
  public CompletableFuture<Entry> enterLater() {
    CompletableFuture<Entry> entry = new CompletableFuture<>();
    later.add(entry);
    handOver(); // the permit may have come back between the caller's failed try and the add
    return entry;
  }

  /** A task has ended; its permit is free again. */
  public void release() {
    permits.release();
    if (!later.isEmpty()) {
      handOver();
    }
  }

  /** Gives free permits to the waiters of {@link #enterLater()}, first come first served. */
  private void handOver() {
    while (!later.isEmpty()) {
      if (closed) {
        CompletableFuture<Entry> waiter;
        while ((waiter = later.poll()) != null) {
          waiter.complete(Entry.CLOSED);
        }
        return;
      }
      if (!permits.tryAcquire()) {
        return; // whoever returns the next permit hands it over
      }
      CompletableFuture<Entry> waiter = later.poll();
      if (waiter == null || !waiter.complete(Entry.ADMITTED)) {
        permits.release(); // another thread served the queue, or this waiter withdrew
      }
    }
  }

  /** From now on, nothing is admitted; waiters of {@link #enterLater()} learn it now. */
  public void close() {
    closed = true;
    handOver();
  }

  public boolean isClosed() {
    return closed;
  }
}
