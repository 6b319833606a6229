package dev.actorkit.demos;

import dev.actorkit.core.trace.TraceEvent;
import dev.actorkit.core.trace.TraceKind;
import dev.actorkit.core.trace.Tracer;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;

/**
 * The trace of one shared-memory primitive in the threads half of a story: the events its actor
 * twin emits ({@link TraceKind}: waiting, granted, released, woke, level...), recorded through the
 * kit's {@link Tracer} under {@code threads/NAME}, so the timeline draws both halves alike.
 *
 * <p>The participant is the calling thread's name, which the scenarios give the name of the person,
 * cook or worker it plays: the same name as the actor that plays it in the actor half, so the two
 * halves have the same lanes. Each event is recorded by the thread it concerns, where it happens:
 * {@link TraceKind#WAITING} just before the thread blocks, {@link TraceKind#GRANTED} just after it
 * got in, {@link TraceKind#RELEASED} just before it gives back the last thing it held (so no two
 * recorded holding spans overlap more than the primitive allows).
 *
 * <p>The wrappers ({@link #lock}, {@link #acquire}, {@link #await(CountDownLatch)}, {@link #put},
 * {@link #take}...) do what the {@code java.util.concurrent} call does, with its fairness: they
 * first try without waiting (a zero timeout, which honours a fair queue) only to know whether the
 * thread is about to wait. While tracing is off ({@link Tracer#enabled()}), they are the plain call
 * and record nothing.
 *
 * <p>Thread-safe.
 */
public final class ThreadsTrace {

  private final Tracer tracer;
  private final String source;
  private final Map<String, Integer> held = new ConcurrentHashMap<>();

  private ThreadsTrace(Tracer tracer, String primitive) {
    this.tracer = tracer;
    this.source = TraceEvent.THREADS + primitive;
  }

  /**
   * The trace of the threads half's {@code primitive}: name it as the actor half names its twin
   * ({@code room} for {@code primitives/room}).
   */
  public static ThreadsTrace of(ScenarioContext context, String primitive) {
    return new ThreadsTrace(context.kit().tracer(), primitive);
  }

  /** {@code threads/NAME}, the {@link TraceEvent#actor()} of its events. */
  public String source() {
    return source;
  }

  /** Whether recording does anything now. */
  public boolean enabled() {
    return tracer.enabled();
  }

  /** The calling thread is about to block, waiting. */
  public void waiting(Object detail) {
    event(TraceKind.WAITING, detail);
  }

  /**
   * The calling thread got what it waited for (or got it without waiting); counts one hold, so a
   * participant holding two permits is released only by the second {@link #released}.
   */
  public void granted(Object detail) {
    if (tracer.enabled()) {
      held.merge(me(), 1, Integer::sum);
      tracer.emit(source, TraceKind.GRANTED, me(), detail);
    }
  }

  /**
   * The calling thread is about to give one hold back: records {@link TraceKind#RELEASED} if that
   * was its last, {@code gave back} otherwise.
   */
  public void released(Object detail) {
    if (tracer.enabled()) {
      tracer.emit(source, TraceKind.release(dropHold()), me(), detail);
    }
  }

  /** Counts one hold of the calling thread given back; whether it was its last. */
  private boolean dropHold() {
    return held.computeIfPresent(me(), (who, n) -> n > 1 ? n - 1 : null) == null;
  }

  /**
   * The calling thread starts {@code task}: a holding span on its lane, as a pool's worker holds
   * the task it runs in the actor half ({@link TraceKind#GRANTED}).
   */
  public void started(Object task) {
    granted(task);
  }

  /** The calling thread finished {@code task}: its span ends ({@link TraceKind#RELEASED}). */
  public void finished(Object task) {
    released(task);
  }

  /**
   * The calling thread's {@code task} ended otherwise ({@code how}: cancelled, failed, crashed): a
   * mark of that kind, and its span ends as {@link TraceKind#REVOKED} if it was the last thing the
   * thread held ({@code gave back} otherwise).
   */
  public void ended(String how, Object task) {
    if (tracer.enabled()) {
      tracer.emit(source, how, me(), task);
      tracer.emit(source, dropHold() ? TraceKind.REVOKED : TraceKind.GAVE_BACK, me(), task);
    }
  }

  /** The calling thread, waiting for a signal, was woken by it. */
  public void woke(Object detail) {
    event(TraceKind.WOKE, detail);
  }

  /** The calling thread's wait ran out. */
  public void timedOut(Object detail) {
    event(TraceKind.TIMED_OUT, detail);
  }

  /** {@code kind} happened to the calling thread. */
  public void event(String kind, Object detail) {
    if (tracer.enabled()) {
      tracer.emit(source, kind, me(), detail);
    }
  }

  /** {@code kind} happened to {@code participant} (empty: nobody in particular). */
  public void event(String kind, String participant, Object detail) {
    tracer.emit(source, kind, participant, detail);
  }

  /** The primitive's level now: permits free, items in a queue, readers inside. */
  public void level(long level) {
    if (tracer.enabled()) {
      tracer.emit(source, TraceKind.LEVEL, "", level);
    }
  }

  /**
   * {@link Lock#lockInterruptibly()}, recording the wait (if any) and the grant, both with {@code
   * detail}; an interrupt while waiting ends the wait as {@link TraceKind#WITHDRAWN}.
   */
  public void lock(Lock lock, Object detail) throws InterruptedException {
    if (!tracer.enabled()) {
      lock.lockInterruptibly();
      return;
    }
    if (!lock.tryLock(0, TimeUnit.NANOSECONDS)) {
      waiting(detail);
      try {
        lock.lockInterruptibly();
      } catch (InterruptedException e) {
        event(TraceKind.WITHDRAWN, "interrupted");
        throw e;
      }
    }
    granted(detail);
  }

  /** {@link Lock#unlock()}, recording the release first. */
  public void unlock(Lock lock, Object detail) {
    released(detail);
    lock.unlock();
  }

  /**
   * {@link Semaphore#acquire(int)}, recording the wait (if any), the grant and the level; an
   * interrupt while waiting ends the wait as {@link TraceKind#WITHDRAWN}.
   */
  public void acquire(Semaphore semaphore, int permits) throws InterruptedException {
    if (!tracer.enabled()) {
      semaphore.acquire(permits);
      return;
    }
    if (!semaphore.tryAcquire(permits, 0, TimeUnit.NANOSECONDS)) {
      waiting("x" + permits);
      try {
        semaphore.acquire(permits);
      } catch (InterruptedException e) {
        event(TraceKind.WITHDRAWN, "interrupted");
        throw e;
      }
    }
    granted("x" + permits);
    level(semaphore.availablePermits());
  }

  /** {@link Semaphore#release(int)}, recording the release first and the level after. */
  public void release(Semaphore semaphore, int permits) {
    released("x" + permits);
    semaphore.release(permits);
    if (tracer.enabled()) {
      level(semaphore.availablePermits());
    }
  }

  /** {@link CountDownLatch#await()}, recording the wait (if any) and the wake-up. */
  public void await(CountDownLatch latch) throws InterruptedException {
    if (!tracer.enabled() || latch.getCount() == 0) {
      latch.await();
      return;
    }
    waiting("");
    latch.await();
    woke("");
  }

  /**
   * {@link CountDownLatch#await(long, TimeUnit)}, recording the wait (if any) and how it ended.
   *
   * @return whether the latch opened in time
   */
  public boolean await(CountDownLatch latch, long timeout, TimeUnit unit)
      throws InterruptedException {
    if (!tracer.enabled() || latch.getCount() == 0) {
      return latch.await(timeout, unit);
    }
    return awaitRecorded(null, latch, timeout, unit);
  }

  /**
   * Records this thread's wait, counts {@code arrived} down, then awaits {@code latch} as {@link
   * #await(CountDownLatch, long, TimeUnit)} does. Whoever opens {@code latch} once {@code arrived}
   * reached zero knows every such wait is on the timeline, however late a thread got to its {@code
   * await} call (with {@code await} alone, a thread descheduled between arriving and waiting finds
   * the latch open and leaves no trace).
   *
   * @return whether the latch opened in time
   */
  public boolean arriveAndAwait(
      CountDownLatch arrived, CountDownLatch latch, long timeout, TimeUnit unit)
      throws InterruptedException {
    if (!tracer.enabled()) {
      arrived.countDown();
      return latch.await(timeout, unit);
    }
    return awaitRecorded(arrived, latch, timeout, unit);
  }

  /**
   * Records the wait, counts {@code arrived} down (if given), awaits {@code latch} and records how
   * the wait ended.
   */
  private boolean awaitRecorded(
      CountDownLatch arrived, CountDownLatch latch, long timeout, TimeUnit unit)
      throws InterruptedException {
    waiting("");
    if (arrived != null) {
      arrived.countDown();
    }
    boolean opened = latch.await(timeout, unit);
    event(opened ? TraceKind.WOKE : TraceKind.TIMED_OUT, "");
    return opened;
  }

  /**
   * {@link BlockingQueue#put}, recording a wait for room (if any), the put and the level. The level
   * is read after the put, so other threads may have moved it already: it is what the queue said.
   */
  public <T> void put(BlockingQueue<T> queue, T item) throws InterruptedException {
    if (!tracer.enabled()) {
      queue.put(item);
      return;
    }
    if (!queue.offer(item)) {
      waiting("to put " + item);
      queue.put(item);
      woke("room for " + item);
    }
    event("put", item);
    level(queue.size());
  }

  /** {@link BlockingQueue#take}, recording a wait for an item (if any), the take and the level. */
  public <T> T take(BlockingQueue<T> queue) throws InterruptedException {
    if (!tracer.enabled()) {
      return queue.take();
    }
    T item = queue.poll();
    if (item == null) {
      waiting("to take");
      item = queue.take();
      woke("took " + item);
    }
    event("taken", item);
    level(queue.size());
    return item;
  }

  /**
   * Threads named {@code prefix-1}, {@code prefix-2}... in the order they are made: for an executor
   * whose threads play the workers or tellers of the story, so its lanes have the names of the
   * actor half's workers rather than {@code pool-3-thread-1}.
   */
  public static ThreadFactory named(String prefix) {
    AtomicInteger next = new AtomicInteger();
    return work -> new Thread(work, prefix + "-" + next.incrementAndGet());
  }

  /**
   * {@link BlockingQueue#poll(long, TimeUnit)}, recording a wait for an item (if any), how it
   * ended, the take and the level.
   *
   * @return the item, or null if none came in time
   */
  public <T> T poll(BlockingQueue<T> queue, long timeout, TimeUnit unit)
      throws InterruptedException {
    if (!tracer.enabled()) {
      return queue.poll(timeout, unit);
    }
    T item = queue.poll();
    if (item == null) {
      waiting("to take");
      item = queue.poll(timeout, unit);
      if (item == null) {
        timedOut("nothing came");
        return null;
      }
      woke("took " + item);
    }
    event("taken", item);
    level(queue.size());
    return item;
  }

  private static String me() {
    return Thread.currentThread().getName();
  }
}
