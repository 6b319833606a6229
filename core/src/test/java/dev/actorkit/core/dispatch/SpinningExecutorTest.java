package dev.actorkit.core.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.actorkit.core.testing.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SpinningExecutorTest {

  private static final ThreadFactory DAEMONS =
      task -> {
        Thread thread = new Thread(task, "spinning-test");
        thread.setDaemon(true);
        return thread;
      };

  /**
   * Many producers hand tasks, each handing on the next (as actors do), to a pool whose workers
   * park between bursts: every task runs, so no wake-up was lost. Run with spinning and without.
   */
  @Test
  void everyTaskRunsWhetherWorkersSpinOrPark() throws Exception {
    for (Duration spin : List.of(Duration.ZERO, Duration.ofNanos(1), Duration.ofNanos(50_000))) {
      SpinningExecutor executor = new SpinningExecutor(2, spin, DAEMONS);
      int producers = 4;
      int chains = 50;
      int links = 200;
      CountDownLatch done = new CountDownLatch(producers * chains);
      AtomicInteger ran = new AtomicInteger();
      Thread[] threads = new Thread[producers];
      for (int p = 0; p < producers; p++) {
        threads[p] =
            new Thread(
                () -> {
                  for (int c = 0; c < chains; c++) {
                    executor.execute(chain(executor, links, ran, done));
                    if (c % 10 == 0) {
                      Eventually.eventually(
                          Duration.ofSeconds(30),
                          () -> assertThat(executor.parkedWorkers()).isPositive());
                    }
                  }
                });
        threads[p].start();
      }
      for (Thread thread : threads) {
        thread.join();
      }
      assertThat(done.await(30, TimeUnit.SECONDS)).as("spin " + spin).isTrue();
      assertThat(ran).hasValue(producers * chains * links);
      executor.shutdown();
      assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static Runnable chain(
      SpinningExecutor executor, int remaining, AtomicInteger ran, CountDownLatch done) {
    return () -> {
      ran.incrementAndGet();
      if (remaining > 1) {
        executor.execute(chain(executor, remaining - 1, ran, done));
      } else {
        done.countDown();
      }
    };
  }

  @Test
  void idleWorkersParkAfterTheirSpin() {
    SpinningExecutor executor = new SpinningExecutor(2, Duration.ofMillis(1), DAEMONS);
    executor.execute(() -> {});
    Eventually.eventually(
        Duration.ofSeconds(10), () -> assertThat(executor.parkedWorkers()).isEqualTo(2));
    executor.shutdownNow();
  }

  @Test
  void aTaskThatThrowsIsReportedAndTheWorkerGoesOn() throws Exception {
    AtomicReference<Throwable> reported = new AtomicReference<>();
    ThreadFactory reporting =
        task -> {
          Thread thread = DAEMONS.newThread(task);
          thread.setUncaughtExceptionHandler((t, e) -> reported.set(e));
          return thread;
        };
    SpinningExecutor executor = new SpinningExecutor(1, Duration.ZERO, reporting);
    executor.execute(
        () -> {
          throw new IllegalStateException("boom");
        });
    CountDownLatch after = new CountDownLatch(1);
    executor.execute(after::countDown);
    assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(reported.get()).hasMessage("boom");
    executor.shutdown();
  }

  @Test
  void shutdownRunsWhatIsQueuedThenRefusesAndEnds() throws Exception {
    SpinningExecutor executor = new SpinningExecutor(1, Duration.ZERO, DAEMONS);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger ran = new AtomicInteger();
    executor.execute(
        () -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    executor.execute(ran::incrementAndGet);
    executor.shutdown();
    assertThatThrownBy(() -> executor.execute(() -> {}))
        .isInstanceOf(RejectedExecutionException.class);
    assertThat(executor.isTerminated()).isFalse();
    release.countDown();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(ran).hasValue(1);
  }

  @Test
  void shutdownNowInterruptsAndReturnsWhatDidNotStart() throws Exception {
    SpinningExecutor executor = new SpinningExecutor(1, Duration.ZERO, DAEMONS);
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<Boolean> interrupted = new AtomicReference<>(false);
    executor.execute(
        () -> {
          started.countDown();
          try {
            new CountDownLatch(1).await();
          } catch (InterruptedException e) {
            interrupted.set(true);
          }
        });
    Runnable never = () -> {};
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    executor.execute(never);
    assertThat(executor.shutdownNow()).containsExactly(never);
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(interrupted.get()).isTrue();
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> new SpinningExecutor(0, Duration.ZERO, DAEMONS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SpinningExecutor(1, Duration.ofMillis(-1), DAEMONS))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aWorkerKilledByAVirtualMachineErrorIsReplaced() throws Exception {
    AtomicInteger threadsMade = new AtomicInteger();
    ThreadFactory counting =
        task -> {
          threadsMade.incrementAndGet();
          Thread thread = DAEMONS.newThread(task);
          thread.setUncaughtExceptionHandler((t, e) -> {}); // the error is expected
          return thread;
        };
    SpinningExecutor executor = new SpinningExecutor(1, Duration.ZERO, counting);
    executor.execute(
        () -> {
          throw new StackOverflowError("a task's own");
        });
    CountDownLatch after = new CountDownLatch(1);
    executor.execute(after::countDown);
    assertThat(after.await(10, TimeUnit.SECONDS)).as("the one-thread pool still runs").isTrue();
    assertThat(threadsMade).hasValue(2);
    executor.shutdown();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void anInterruptedIdleWorkerParksAgainAndStillRuns() throws Exception {
    AtomicReference<Thread> worker = new AtomicReference<>();
    SpinningExecutor executor = new SpinningExecutor(1, Duration.ZERO, DAEMONS);
    executor.execute(() -> worker.set(Thread.currentThread()));
    Eventually.eventually(
        Duration.ofSeconds(10), () -> assertThat(executor.parkedWorkers()).isEqualTo(1));
    worker.get().interrupt();
    Eventually.eventually(
        Duration.ofSeconds(10),
        () ->
            assertThat(worker.get().getState())
                .as("parked again, not spinning on a stale interrupt")
                .isEqualTo(Thread.State.WAITING));
    CountDownLatch after = new CountDownLatch(1);
    executor.execute(after::countDown);
    assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
    executor.shutdownNow();
  }

  /**
   * A worker that sends a task and then stays busy (here: until that task has run) does not keep
   * it: a spinning worker takes it from the busy worker's slot.
   */
  @Test
  void aTaskSentByABusyWorkerIsTakenByASpinningOne() throws Exception {
    SpinningExecutor executor = new SpinningExecutor(2, Duration.ofSeconds(30), DAEMONS);
    CountDownLatch sentRan = new CountDownLatch(1);
    AtomicReference<Boolean> sawIt = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    executor.execute(
        () -> {
          executor.execute(sentRan::countDown); // into this worker's slot
          try {
            sawIt.set(sentRan.await(20, TimeUnit.SECONDS));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          done.countDown();
        });
    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(sawIt.get()).as("the other worker ran it while this one was busy").isTrue();
    executor.shutdownNow();
  }
}
