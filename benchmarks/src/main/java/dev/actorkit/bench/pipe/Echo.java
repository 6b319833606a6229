package dev.actorkit.bench.pipe;

import dev.actorkit.patterns.pipe.PipeClient;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The other side of a pipe round trip: receive a value, send it back. With a window above one it
 * keeps that many receives outstanding, so values in flight are answered without waiting for each
 * other (the order of the answers is then not kept; the benchmarks only count them).
 */
final class Echo {

  private static final Duration WAIT = Duration.ofMinutes(10);

  private final PipeClient end;
  private final AtomicLong answered;
  private final CountDownLatch ended = new CountDownLatch(1);

  private Echo(PipeClient end, AtomicLong answered) {
    this.end = end;
    this.answered = answered;
  }

  /**
   * Starts echoing on {@code end} with {@code window} receives outstanding; it stops at the end of
   * the stream.
   */
  static Echo start(PipeClient end, int window) {
    return start(end, window, new AtomicLong());
  }

  /** As {@link #start(PipeClient, int)}, counting every value answered in {@code answered}. */
  static Echo start(PipeClient end, int window, AtomicLong answered) {
    Echo echo = new Echo(end, answered);
    for (int i = 0; i < window; i++) {
      echo.next();
    }
    return echo;
  }

  private void next() {
    end.recvAsync(WAIT)
        .whenComplete(
            (value, failure) -> {
              if (failure != null) {
                ended.countDown(); // end of stream (or the kit closing): stop this lane
                return;
              }
              answered.incrementAndGet();
              end.sendAsync(value, WAIT);
              next();
            });
  }

  /** Waits until the other end has closed, at most {@code timeout}. */
  boolean awaitEnd(Duration timeout) throws InterruptedException {
    return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
