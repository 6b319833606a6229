package dev.actorkit.core.call;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * How a thread blocked in {@link Call#await()} waits: it spins briefly, then parks.
 *
 * <p>A reply from an actor in this JVM usually comes within microseconds, and parking the thread
 * then costs more than the wait itself: the answering thread must wake this one, which takes tens
 * of microseconds on a virtual machine. So the thread first spins for up to {@link
 * #SPIN_BEFORE_PARK} ({@link Thread#onSpinWait}, no system calls), looking for the answer, and only
 * then parks. The spin adapts per thread: when it finds nothing (the answer comes from another JVM,
 * or from a wait), the thread parks at once for the next 1, 2, 4, ... up to {@link
 * #MAX_SPIN_BACKOFF} waits, so that spinning does not keep taking a core from the work being waited
 * for. Measured by CrossJvmBench on 2 cores: shared-map set+get pairs from plain Java in the same
 * JVM went from about 12k/s to about 60k/s, pipe round trips with 16 in flight from about 60k/s to
 * about 136k/s, and round trips between two JVMs did not get slower. (Yielding instead of spinning
 * did as well in one JVM but cost a quarter of the two-JVM throughput.)
 */
final class Spin {

  /** How long a waiting thread spins for the answer before it parks. */
  static final Duration SPIN_BEFORE_PARK = Duration.ofNanos(25_000);

  /**
   * After a spin that found nothing, a thread parks at once for up to this many waits before it
   * tries spinning again.
   */
  static final int MAX_SPIN_BACKOFF = 64;

  /**
   * Per thread: waits left to park at once without spinning, and how many the next failed spin
   * earns.
   */
  private static final ThreadLocal<int[]> BACKOFF = ThreadLocal.withInitial(() -> new int[2]);

  private Spin() {}

  /**
   * Spins on {@code future} for up to {@link #SPIN_BEFORE_PARK} (or {@code bound}), unless this
   * thread's backoff says to park at once.
   */
  static void beforePark(CompletableFuture<?> future, Duration bound) {
    int[] backoff = BACKOFF.get();
    if (backoff[0] > 0) {
      backoff[0]--;
      return;
    }
    long spinUntil = System.nanoTime() + Math.min(SPIN_BEFORE_PARK.toNanos(), bound.toNanos());
    while (!future.isDone() && System.nanoTime() - spinUntil < 0) {
      Thread.onSpinWait();
    }
    if (future.isDone()) {
      backoff[1] = 0;
    } else {
      backoff[1] = Math.min(Math.max(1, backoff[1] * 2), MAX_SPIN_BACKOFF);
      backoff[0] = backoff[1];
    }
  }

  /** For tests: how many of this thread's next waits park at once without spinning. */
  static int parksBeforeNextSpin() {
    return BACKOFF.get()[0];
  }
}
