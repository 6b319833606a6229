package dev.actorkit.bench.event;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The {@code java.util.concurrent} baseline of {@link EventWakeBenchmark}: a {@code
 * CountDownLatch(1)} used as an event, released for N parked threads (what Python's {@code
 * threading.Event} does with its condition variable).
 *
 * <p>Before every invocation (not measured) a new gate latch is published and the benchmark waits
 * until every one of the N threads is parked in {@code gate.await()}; the invocation calls {@code
 * gate.countDown()} and returns when the last thread has woken. Only 1,000 threads: 100,000
 * platform threads is not a configuration anyone runs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ParkedThreadsWakeBenchmark {

  @Param({"1000"})
  public int threads;

  private final List<Thread> parked = new ArrayList<>();
  private volatile Round round;

  /** One release: the gate the threads park on, and where they go next. */
  static final class Round {
    final CountDownLatch gate = new CountDownLatch(1);
    final AtomicInteger asleep;
    final AtomicInteger arrived = new AtomicInteger();
    final CountDownLatch allAwake = new CountDownLatch(1);
    final CountDownLatch nextReady = new CountDownLatch(1);
    volatile Round next;
    volatile boolean released;
    volatile boolean last;

    Round(int threads) {
      this.asleep = new AtomicInteger(threads);
    }
  }

  @Setup(Level.Trial)
  public void start() {
    Round first = new Round(threads);
    round = first;
    for (int i = 0; i < threads; i++) {
      Thread thread = new Thread(() -> waitRoundAfterRound(first), "parked-" + i);
      thread.setDaemon(true);
      parked.add(thread);
      thread.start();
    }
  }

  /** Each thread parks on a round's gate, wakes, then parks until the next round is published. */
  private void waitRoundAfterRound(Round first) {
    Round current = first;
    try {
      while (!current.last) {
        current.arrived.incrementAndGet();
        current.gate.await();
        if (current.asleep.decrementAndGet() == 0) {
          current.allAwake.countDown();
        }
        current.nextReady.await();
        current = current.next;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Publishes a new gate if the last one was used, and waits until every thread is parked on it.
   */
  @Setup(Level.Invocation)
  public void park() throws InterruptedException {
    Round current = round;
    if (current.released) {
      current.allAwake.await();
      Round next = new Round(threads);
      current.next = next;
      round = next;
      current.nextReady.countDown();
      current = next;
    }
    while (current.arrived.get() < threads) {
      Thread.sleep(1);
    }
    // Counted in, then parked: WAITING now can only be the gate.
    for (Thread thread : parked) {
      while (thread.getState() != Thread.State.WAITING) {
        Thread.sleep(1);
      }
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    Round current = round;
    Round last = new Round(threads);
    last.last = true;
    current.next = last;
    current.gate.countDown();
    current.nextReady.countDown();
    for (Thread thread : parked) {
      thread.interrupt();
    }
  }

  /** The baseline: one {@code countDown()}, N parked threads woken. */
  @Benchmark
  public void countDownLatchReleasesParkedThreads() throws InterruptedException {
    Round current = round;
    current.released = true;
    current.gate.countDown();
    current.allAwake.await();
  }
}
