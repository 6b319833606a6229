package dev.actorkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.actorkit.core.testing.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a kit's close counts as a thread still running user work: a blocking or compute pool thread
 * in the middle of a task, not one of the same name waiting idle in its pool for a task (another
 * actor system of the same name has those).
 */
class KitThreadsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void anIdleBlockingThreadIsNotUserWorkAndOneRunningATaskIs() throws Exception {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            1, task -> new Thread(task, "other-" + KitDispatcher.BLOCKING.id() + "-1"));
    assertBusyThenIdle(pool);
  }

  @Test
  void anIdleComputeThreadIsNotUserWorkAndOneRunningATaskIs() throws Exception {
    ForkJoinPool pool =
        new ForkJoinPool(
            1,
            forkJoin -> {
              ForkJoinWorkerThread thread =
                  ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(forkJoin);
              thread.setName("other-" + KitDispatcher.COMPUTE.id() + "-1");
              return thread;
            },
            null,
            false);
    assertBusyThenIdle(pool);
  }

  @Test
  void aThreadOfAnActorDispatcherIsNeverUserWork() {
    Thread actors = new Thread(() -> {}, "other-" + KitDispatcher.COORDINATION.id() + "-1");
    assertThat(KitThreads.runsUserWork(actors)).isFalse();
  }

  @Test
  void aCloseDoesNotWaitForAnotherSystemsIdleThreadsOneByOne() throws Exception {
    // Another system of the same name: 16 idle blocking threads and 10 actor threads, none of
    // which ends. One bound for all of them, not one each (26 x 200 ms would be over 5 s).
    String system = "kit-threads-test";
    ThreadPoolExecutor blocking =
        new ThreadPoolExecutor(
            16,
            16,
            1,
            TimeUnit.MINUTES,
            new LinkedBlockingQueue<>(),
            task -> new Thread(task, system + "-" + KitDispatcher.BLOCKING.id() + "-x"));
    blocking.prestartAllCoreThreads();
    CountDownLatch end = new CountDownLatch(1);
    List<Thread> actors = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Thread actor =
          new Thread(
              () -> {
                try {
                  end.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              system + "-akka.actor.default-dispatcher-" + i);
      actor.start();
      actors.add(actor);
    }
    try {
      Eventually.eventually(
          WAIT,
          () -> assertThat(KitThreads.of(system)).hasSize(26).noneMatch(KitThreads::runsUserWork));
      long start = System.nanoTime();
      KitThreads.awaitEnded(system, Duration.ofSeconds(10));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    } finally {
      end.countDown();
      blocking.shutdownNow();
      for (Thread actor : actors) {
        actor.join(WAIT.toMillis());
      }
      assertThat(blocking.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }
  }

  /**
   * Runs a task on {@code pool}'s one thread: user work while the task waits, not once it is done
   * and the thread waits in the pool for the next.
   */
  private static void assertBusyThenIdle(ExecutorService pool) throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try {
      Thread worker = threadOf(pool, release);
      Eventually.eventually(
          WAIT, () -> assertThat(KitThreads.runsUserWork(worker)).as("running a task").isTrue());
      release.countDown();
      Eventually.eventually(
          WAIT, () -> assertThat(KitThreads.runsUserWork(worker)).as("idle in its pool").isFalse());
    } finally {
      release.countDown();
      pool.shutdownNow();
      assertThat(pool.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }
  }

  /** The thread that runs a task on {@code pool}, the task waiting for {@code release}. */
  private static Thread threadOf(ExecutorService pool, CountDownLatch release) throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    Thread[] worker = new Thread[1];
    pool.execute(
        () -> {
          worker[0] = Thread.currentThread();
          started.countDown();
          try {
            release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    assertThat(started.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    return worker[0];
  }
}
