package dev.actorkit.patterns.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.TestProbe;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.errors.TaskFailedException;
import dev.actorkit.core.errors.TimedOutException;
import dev.actorkit.core.errors.WorkerDiedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pool end to end, in a real kit. Tasks block on latches, never on sleeps. */
class WorkerPoolClientTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static ActorKit kit;
  private static int pools;

  @BeforeAll
  static void startKit() {
    kit = ActorKit.create("WorkerPoolClientTest");
  }

  @AfterAll
  static void closeKit() {
    kit.close();
  }

  private static WorkerPoolClient pool(WorkerPool.Settings settings) {
    return WorkerPoolClient.start(kit, "pool-" + (++pools), settings).withTimeout(WAIT);
  }

  /**
   * Waits for a latch, in the test thread or inside a task; an interrupted task fails with an
   * exception, not an Error.
   */
  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("latch not released in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    }
  }

  @Test
  void submitReturnsAFutureThatCompletesWithTheValue() {
    try (WorkerPoolClient pool = pool(WorkerPool.Settings.blocking(2))) {
      TaskFuture<Integer> answer = pool.submit(() -> 6 * 7);
      assertThat(answer.result(WAIT)).isEqualTo(42);
      assertThat(answer.done()).isTrue();
      assertThat(answer.cancelled()).isFalse();
      assertThat(answer.exception(WAIT)).isNull();
    }
  }

  @Test
  void aTaskThatThrowsFailsOnlyItsOwnFuture() {
    try (WorkerPoolClient pool = pool(WorkerPool.Settings.blocking(1))) {
      IllegalArgumentException bad = new IllegalArgumentException("bad input");
      TaskFuture<Integer> failing =
          pool.submit(
              () -> {
                throw bad;
              });
      TaskFuture<Integer> next = pool.submit(() -> 1);
      assertThatThrownBy(() -> failing.result(WAIT))
          .isInstanceOf(TaskFailedException.class)
          .hasCause(bad);
      assertThat(failing.exception(WAIT)).isSameAs(bad);
      assertThat(next.result(WAIT)).isEqualTo(1);
      assertThat(pool.status().workersReplaced()).isZero();
    }
  }

  @Test
  void tasksStartInSubmissionOrder() {
    try (WorkerPoolClient pool = pool(WorkerPool.Settings.blocking(1))) {
      List<Integer> started = new CopyOnWriteArrayList<>();
      List<TaskFuture<Integer>> futures = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        int n = i;
        futures.add(
            pool.submit(
                () -> {
                  started.add(n);
                  return n;
                }));
      }
      futures.forEach(future -> future.result(WAIT));
      assertThat(started).containsExactlyElementsOf(IntStream.range(0, 50).boxed().toList());
    }
  }

  @Test
  void cancellingAPendingTaskTakesItOutOfTheQueue() {
    try (WorkerPoolClient pool = pool(WorkerPool.Settings.blocking(1))) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch blocking = new CountDownLatch(1);
      TaskFuture<String> first =
          pool.submit(
              () -> {
                blocking.countDown();
                await(release);
                return "first";
              });
      AtomicBoolean ran = new AtomicBoolean();
      TaskFuture<String> second =
          pool.submit(
              () -> {
                ran.set(true);
                return "second";
              });
      await(blocking);
      assertThat(second.cancel()).isTrue();
      assertThat(second.cancelled()).isTrue();
      assertThat(second.done()).isTrue();
      release.countDown();
      assertThat(first.result(WAIT)).isEqualTo("first");
      assertThatThrownBy(() -> second.result(WAIT)).isInstanceOf(CancellationException.class);
      assertThatThrownBy(() -> second.exception(WAIT)).isInstanceOf(CancellationException.class);
      assertThat(pool.submit(() -> "after").result(WAIT)).isEqualTo("after");
      assertThat(ran).isFalse();
    }
  }

  @Test
  void cancellingARunningTaskOnTheBlockingDispatcherInterruptsIt() {
    try (WorkerPoolClient pool = pool(WorkerPool.Settings.blocking(1))) {
      CountDownLatch running = new CountDownLatch(1);
      CountDownLatch interrupted = new CountDownLatch(1);
      TaskFuture<String> sleeper =
          pool.submit(
              () -> {
                running.countDown();
                try {
                  new CountDownLatch(1).await();
                  return "woke";
                } catch (InterruptedException e) {
                  interrupted.countDown();
                  throw e;
                }
              });
      await(running);
      assertThat(sleeper.running()).isTrue();
      assertThat(sleeper.cancel()).isTrue();
      await(interrupted);
      assertThat(sleeper.cancelled()).isTrue();
      // The worker's thread carries no interrupt into the next task.
      assertThat(pool.submit(() -> Thread.currentThread().isInterrupted()).result(WAIT)).isFalse();
    }
  }

  @Test
  void aRunningTaskOnTheComputeDispatcherCannotBeCancelled() {
    try (WorkerPoolClient pool = pool(WorkerPool.Settings.compute(1))) {
      CountDownLatch running = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      TaskFuture<String> busy =
          pool.submit(
              () -> {
                running.countDown();
                await(release);
                return "done";
              });
      await(running);
      assertThat(busy.cancel()).isFalse();
      release.countDown();
      assertThat(busy.result(WAIT)).isEqualTo("done");
      assertThat(busy.cancel()).isFalse();
    }
  }

  @Test
  void aWorkerKilledByItsTaskIsReplacedAndThePoolGoesOn() {
    try (WorkerPoolClient pool = pool(WorkerPool.Settings.blocking(1))) {
      TaskFuture<String> killer =
          pool.submit(
              () -> {
                throw new AssertionError("task corrupted its worker");
              });
      TaskFuture<String> next = pool.submit(() -> "still here");
      assertThatThrownBy(() -> killer.result(WAIT))
          .isInstanceOf(WorkerDiedException.class)
          .hasMessageContaining("killed its worker")
          .hasCauseInstanceOf(AssertionError.class);
      assertThat(next.result(WAIT)).isEqualTo("still here");
      assertThat(pool.status().workersReplaced()).isEqualTo(1);
      assertThat(pool.status().workers()).isEqualTo(1);
    }
  }

  @Test
  void tasksBatchedWithAWorkerKillerAreRequeuedNotFailed() {
    try (WorkerPoolClient pool = pool(WorkerPool.Settings.blocking(1))) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch blocking = new CountDownLatch(1);
      TaskFuture<String> first =
          pool.submit(
              () -> {
                blocking.countDown();
                await(release);
                return "first";
              });
      await(blocking);
      // Both queue behind the blocked worker, so they reach it in one batch.
      TaskFuture<String> killer =
          pool.submit(
              () -> {
                throw new AssertionError("dies");
              });
      TaskFuture<String> innocent = pool.submit(() -> "innocent");
      release.countDown();
      assertThat(first.result(WAIT)).isEqualTo("first");
      assertThatThrownBy(() -> killer.result(WAIT)).isInstanceOf(WorkerDiedException.class);
      assertThat(innocent.result(WAIT)).isEqualTo("innocent");
    }
  }

  @Test
  void tasksQueuedBeforeTheWorkersStartAreSpreadOverAllOfThem() {
    try (WorkerPoolClient pool = pool(WorkerPool.Settings.blocking(2))) {
      CountDownLatch bothRunning = new CountDownLatch(2);
      TaskFuture<String> a =
          pool.submit(
              () -> {
                bothRunning.countDown();
                await(bothRunning);
                return "a";
              });
      TaskFuture<String> b =
          pool.submit(
              () -> {
                bothRunning.countDown();
                await(bothRunning);
                return "b";
              });
      assertThat(a.result(WAIT) + b.result(WAIT)).isEqualTo("ab");
    }
  }

  @Test
  void resultTimesOutWhileTheTaskGoesOn() {
    try (WorkerPoolClient pool = pool(WorkerPool.Settings.blocking(1))) {
      CountDownLatch release = new CountDownLatch(1);
      TaskFuture<String> slow =
          pool.submit(
              () -> {
                await(release);
                return "late";
              });
      assertThatThrownBy(() -> slow.result(Duration.ofMillis(50)))
          .isInstanceOf(TimedOutException.class);
      release.countDown();
      assertThat(slow.result(WAIT)).isEqualTo("late");
    }
  }

  @Test
  void addDoneCallbackRunsOnceDoneAndAtOnceWhenAlreadyDone() {
    try (WorkerPoolClient pool = pool(WorkerPool.Settings.blocking(1))) {
      TaskFuture<String> future = pool.submit(() -> "x");
      CountDownLatch called = new CountDownLatch(1);
      future.addDoneCallback(done -> called.countDown());
      await(called);
      AtomicReference<Thread> caller = new AtomicReference<>();
      future.addDoneCallback(done -> caller.set(Thread.currentThread()));
      assertThat(caller.get()).isSameAs(Thread.currentThread());
    }
  }

  @Test
  void shutdownWaitsForQueuedTasksAndThenRefusesSubmits() {
    WorkerPoolClient pool = pool(WorkerPool.Settings.blocking(1));
    List<TaskFuture<Integer>> queued =
        IntStream.range(0, 20).mapToObj(i -> pool.submit(() -> i)).toList();
    assertThat(pool.shutdown(true, false)).isTrue();
    queued.forEach(
        future -> assertThat(future.isDone() && !future.isCompletedExceptionally()).isTrue());
    assertThatThrownBy(() -> pool.submit(() -> 1))
        .isInstanceOf(RejectedException.class)
        .hasMessageContaining("shut down");
    assertThat(pool.join(WAIT)).isTrue();
  }

  @Test
  void shutdownWithCancelFuturesCancelsTheQueuedOnesButFinishesTheRunningOne() {
    WorkerPoolClient pool = pool(WorkerPool.Settings.blocking(1));
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    TaskFuture<String> current =
        pool.submit(
            () -> {
              running.countDown();
              await(release);
              return "finished";
            });
    List<TaskFuture<Integer>> queued =
        IntStream.range(0, 5).mapToObj(i -> pool.submit(() -> i)).toList();
    await(running);
    assertThat(pool.shutdown(false, true)).isTrue();
    release.countDown();
    assertThat(pool.join(WAIT)).isTrue();
    assertThat(current.result(WAIT)).isEqualTo("finished");
    assertThat(queued).allMatch(TaskFuture::cancelled);
  }

  @Test
  void shutdownWithCancelFuturesAlsoCancelsTasksAlreadyHandedToAWorkerButNotStarted() {
    WorkerPoolClient pool = pool(WorkerPool.Settings.blocking(1));
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Callable<String>> tasks = new ArrayList<>();
    tasks.add(
        () -> {
          running.countDown();
          await(release);
          return "finished";
        });
    for (int i = 0; i < 5; i++) {
      tasks.add(() -> "never");
    }
    // One submission to an idle worker of one: the whole batch goes to that worker at once.
    List<TaskFuture<String>> futures = pool.submitAll(tasks);
    await(running);
    assertThat(pool.status().queued()).isZero();
    assertThat(pool.shutdown(false, true)).isTrue();
    assertThat(futures.subList(1, futures.size()))
        .allMatch(TaskFuture::cancelled); // already when shutdown returns
    release.countDown();
    assertThat(pool.join(WAIT)).isTrue();
    assertThat(futures.get(0).result(WAIT)).isEqualTo("finished");
    assertThat(futures.subList(1, futures.size())).allMatch(TaskFuture::cancelled);
  }

  @Test
  void shutdownWithCancelFuturesOfAnIdleOrAlreadyStoppedPoolReturnsAtOnce() {
    WorkerPoolClient pool = pool(WorkerPool.Settings.blocking(1));
    assertThat(pool.submit(() -> 1).result(WAIT)).isEqualTo(1);
    long start = System.nanoTime();
    assertThat(pool.shutdown(false, true)).isTrue(); // an idle pool stops as it reads the Shutdown
    assertThat(pool.join(WAIT)).isTrue();
    assertThat(pool.shutdown(false, true)).isTrue(); // and again, on a pool that is gone
    // well under WAIT: neither shutdown nor join waited for a timeout
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WAIT.dividedBy(2));
  }

  @Test
  void joinBeforeShutdownIsRefused() {
    try (WorkerPoolClient pool = pool(WorkerPool.Settings.blocking(1))) {
      assertThatThrownBy(() -> pool.join(WAIT))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("still running");
    }
  }

  @Test
  void mapYieldsResultsInInputOrderAcrossChunks() {
    try (WorkerPoolClient pool = pool(WorkerPool.Settings.blocking(3))) {
      List<Integer> items = IntStream.range(0, 100).boxed().toList();
      Iterator<Integer> squares = pool.map(n -> n * n, items, WAIT, 7);
      List<Integer> results = new ArrayList<>();
      squares.forEachRemaining(results::add);
      assertThat(results).containsExactlyElementsOf(items.stream().map(n -> n * n).toList());
    }
  }

  @Test
  void mapTimesOutOnALateResultAndCancelsTheRest() {
    try (WorkerPoolClient pool = pool(WorkerPool.Settings.blocking(1))) {
      CountDownLatch release = new CountDownLatch(1);
      Iterator<String> results =
          pool.map(
              n -> {
                if (n == 2) {
                  await(release);
                }
                return "item " + n;
              },
              List.of(0, 1, 2, 3, 4),
              Duration.ofMillis(200),
              1);
      assertThat(results.next()).isEqualTo("item 0");
      assertThat(results.next()).isEqualTo("item 1");
      assertThatThrownBy(results::next)
          .isInstanceOf(TimedOutException.class)
          .hasMessageContaining("next result of a map");
      assertThat(results.hasNext()).isFalse();
      release.countDown();
    }
  }

  @Test
  void applyAsyncCallsTheCallbackOrTheErrorCallback() {
    try (WorkerPoolClient pool = pool(WorkerPool.Settings.blocking(2))) {
      CountDownLatch both = new CountDownLatch(2);
      AtomicReference<Integer> value = new AtomicReference<>();
      AtomicReference<Throwable> error = new AtomicReference<>();
      IllegalStateException boom = new IllegalStateException("boom");
      pool.applyAsync(
          () -> 5,
          v -> {
            value.set(v);
            both.countDown();
          },
          e -> {});
      pool.applyAsync(
          () -> {
            throw boom;
          },
          v -> {},
          e -> {
            error.set(e);
            both.countDown();
          });
      await(both);
      assertThat(value.get()).isEqualTo(5);
      assertThat(error.get()).isSameAs(boom);
      assertThat(pool.apply(() -> "sync", WAIT)).isEqualTo("sync");
    }
  }

  @Test
  void aFullPoolRejectsOrWaitsAsConfigured() {
    WorkerPool.Settings tiny =
        WorkerPool.Settings.blocking(1).withQueue(1, WorkerPool.WhenFull.REJECT);
    try (WorkerPoolClient pool = pool(tiny)) {
      CountDownLatch release = new CountDownLatch(1);
      TaskFuture<String> running =
          pool.submit(
              () -> {
                await(release);
                return "a";
              });
      TaskFuture<String> queued = pool.submit(() -> "b");
      assertThatThrownBy(() -> pool.submit(() -> "c"))
          .isInstanceOf(RejectedException.class)
          .hasMessageContaining("full");
      release.countDown();
      assertThat(running.result(WAIT) + queued.result(WAIT)).isEqualTo("ab");
    }
    WorkerPool.Settings waiting =
        WorkerPool.Settings.blocking(1).withQueue(1, WorkerPool.WhenFull.WAIT);
    try (WorkerPoolClient pool = pool(waiting).withTimeout(Duration.ofMillis(100))) {
      CountDownLatch release = new CountDownLatch(1);
      pool.submit(
          () -> {
            await(release);
            return "a";
          });
      pool.submit(() -> "b");
      assertThatThrownBy(() -> pool.submit(() -> "c"))
          .isInstanceOf(TimedOutException.class)
          .hasMessageContaining("room");
      release.countDown();
      assertThat(pool.withTimeout(WAIT).submit(() -> "c").result(WAIT)).isEqualTo("c");
    }
  }

  @Test
  void badSettingsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> WorkerPool.Settings.blocking(0))
        .hasMessageContaining("at least 1 worker");
    assertThatThrownBy(
            () ->
                new WorkerPool.Settings(
                    1,
                    dev.actorkit.core.KitDispatcher.COORDINATION,
                    1,
                    WorkerPool.WhenFull.WAIT,
                    1))
        .hasMessageContaining("blocking or compute");
    try (WorkerPoolClient pool = pool(WorkerPool.Settings.blocking(1))) {
      assertThatThrownBy(() -> pool.map(n -> n, List.of(1), WAIT, 0))
          .hasMessageContaining("chunkSize");
    }
  }

  @Test
  void workersShowInTheKitsTreeOnTheirDispatcher() {
    try (WorkerPoolClient pool = pool(WorkerPool.Settings.compute(2))) {
      pool.submit(() -> 1).result(WAIT);
      var node = kit.tree().find("pools/" + pool.ref().path().name());
      assertThat(node.children())
          .extracting(child -> child.dispatcher())
          .containsOnly("actorkit.dispatchers.compute");
      assertThat(node.children()).hasSize(2);
    }
  }

  // ------------------------------------------------------------------ the rest of
  // multiprocessing.Pool

  @Test
  void imapUnorderedYieldsResultsAsTheyFinish() {
    try (WorkerPoolClient pool = pool(WorkerPool.Settings.blocking(3))) {
      CountDownLatch slowMayGo = new CountDownLatch(1);
      Iterator<String> results =
          pool.imapUnordered(
              name -> {
                if (name.equals("slow")) {
                  await(slowMayGo);
                }
                return name;
              },
              List.of("slow", "quick", "quicker"),
              WAIT,
              1);
      List<String> first = List.of(results.next(), results.next());
      assertThat(first).containsExactlyInAnyOrder("quick", "quicker"); // slow is still running
      slowMayGo.countDown();
      assertThat(results.next()).isEqualTo("slow");
      assertThat(results.hasNext()).isFalse();
    }
  }

  @Test
  void starmapAppliesAFunctionOfTwoArguments() {
    try (WorkerPoolClient pool = pool(WorkerPool.Settings.blocking(2))) {
      Iterator<Integer> sums =
          pool.starmap(
              Integer::sum, List.of(Map.entry(1, 2), Map.entry(3, 4), Map.entry(5, 6)), WAIT, 2);
      List<Integer> all = new ArrayList<>();
      sums.forEachRemaining(all::add);
      assertThat(all).containsExactly(3, 7, 11);
    }
  }

  @Test
  void mapAsyncCompletesWithEveryResultInOrderOrFailsAndCancelsTheRest() throws Exception {
    try (WorkerPoolClient pool = pool(WorkerPool.Settings.blocking(2))) {
      List<Integer> squares =
          pool.mapAsync((Integer i) -> i * i, IntStream.range(0, 50).boxed().toList(), 4)
              .get(30, TimeUnit.SECONDS);
      assertThat(squares)
          .containsExactlyElementsOf(IntStream.range(0, 50).map(i -> i * i).boxed().toList());
      assertThat(pool.mapAsync((Integer i) -> i, List.of(), 4).get(5, TimeUnit.SECONDS)).isEmpty();

      CompletableFuture<List<Integer>> failing =
          pool.mapAsync(
              (Integer i) -> {
                if (i == 3) {
                  throw new IllegalStateException("item 3 is bad");
                }
                return i;
              },
              IntStream.range(0, 10).boxed().toList(),
              1);
      assertThatThrownBy(() -> failing.get(30, TimeUnit.SECONDS))
          .hasRootCauseMessage("item 3 is bad");
    }
  }

  @Test
  void mapAsyncOverMoreChunksThanThePoolHoldsWaitsForRoomWithoutAThread() throws Exception {
    // 2 workers + 1 queued = room for 3 tasks; 40 chunks; one of them ahead of another caller's
    // tasks
    try (WorkerPoolClient pool =
        pool(WorkerPool.Settings.blocking(2).withQueue(1, WorkerPool.WhenFull.WAIT))) {
      CountDownLatch release = new CountDownLatch(1);
      TaskFuture<String> other =
          pool.submit(
              () -> {
                await(release);
                return "other";
              });
      AtomicReference<String> completedOn = new AtomicReference<>();
      // every chunk waits for the release too, so `all` cannot complete before the dependent
      // stage below is attached (else it would run on the attaching thread, main)
      CompletableFuture<List<Integer>> all =
          pool.mapAsync(
              (Integer i) -> {
                await(release);
                return i + 1;
              },
              IntStream.range(0, 80).boxed().toList(),
              2);
      CompletableFuture<Void> seen =
          all.thenRun(() -> completedOn.set(Thread.currentThread().getName()));
      release.countDown();
      assertThat(all.get(30, TimeUnit.SECONDS))
          .containsExactlyElementsOf(IntStream.range(1, 81).boxed().toList());
      seen.get(30, TimeUnit.SECONDS);
      assertThat(other.result(WAIT)).isEqualTo("other");
      assertThat(completedOn.get())
          .contains("actorkit.dispatchers.blocking"); // not the coordinator's
    }
  }

  @Test
  void aCancelledMapAsyncCancelsItsChunksAndGivesEveryPlaceBack() throws Exception {
    try (WorkerPoolClient pool =
        pool(WorkerPool.Settings.blocking(1).withQueue(2, WorkerPool.WhenFull.REJECT))) {
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch never = new CountDownLatch(1);
      CompletableFuture<List<Integer>> all =
          pool.mapAsync(
              (Integer i) -> {
                started.countDown();
                await(never);
                return i;
              },
              IntStream.range(0, 10).boxed().toList(),
              1);
      await(started);
      assertThat(all.cancel(true)).isTrue();
      // every place comes back: the running chunk is interrupted, the queued ones are dropped,
      // and the chunks still waiting for room are never queued
      List<TaskFuture<String>> refill = new ArrayList<>();
      TestProbe.create(kit.system())
          .awaitAssert(
              WAIT,
              () -> {
                while (refill.size() < 3) { // places come back as the cancellations land
                  try {
                    refill.add(pool.submit(() -> "ok"));
                  } catch (RejectedException full) {
                    throw new AssertionError(
                        "still full: " + refill.size() + " of 3 places back", full);
                  }
                }
                return null;
              });
      for (TaskFuture<String> task : refill) {
        assertThat(task.result(WAIT)).isEqualTo("ok");
      }
      assertThat(refill).hasSize(3);
      assertThat(pool.status().queued()).isZero();
    }
  }

  @Test
  void aMapOverAnEndlessIteratorReadsOnlyItsBufferAhead() {
    try (WorkerPoolClient pool = pool(WorkerPool.Settings.blocking(2))) {
      AtomicInteger read = new AtomicInteger();
      Iterator<Integer> naturals =
          new Iterator<>() {
            @Override
            public boolean hasNext() {
              return true;
            }

            @Override
            public Integer next() {
              return read.incrementAndGet();
            }
          };
      Iterator<Integer> doubled = pool.map((Integer i) -> i * 2, naturals, WAIT, 5, 3);
      for (int i = 1; i <= 20; i++) {
        assertThat(doubled.next()).isEqualTo(2 * i);
      }
      // 20 results consumed = 4 chunks of 5; at most 3 more chunks read ahead.
      assertThat(read.get()).isLessThanOrEqualTo(20 + 3 * 5);
    }
  }

  @Test
  void moreTasksThanThePoolHoldsAreSubmittedAsRoomAppears() {
    try (WorkerPoolClient pool =
        pool(WorkerPool.Settings.blocking(1).withQueue(2, WorkerPool.WhenFull.WAIT))) {
      List<Callable<Integer>> tasks =
          IntStream.range(0, 20).<Callable<Integer>>mapToObj(i -> () -> i).toList();
      List<TaskFuture<Integer>> futures = pool.submitAll(tasks);
      assertThat(futures).hasSize(20);
      assertThat(futures.get(19).result(WAIT)).isEqualTo(19);
      Iterator<Integer> mapped =
          pool.map((Integer i) -> i + 1, IntStream.range(0, 30).boxed().toList(), WAIT, 1);
      int count = 0;
      while (mapped.hasNext()) {
        assertThat(mapped.next()).isEqualTo(++count);
      }
      assertThat(count).isEqualTo(30);
    }
    try (WorkerPoolClient rejecting =
        pool(WorkerPool.Settings.blocking(1).withQueue(2, WorkerPool.WhenFull.REJECT))) {
      List<Callable<Integer>> tooMany =
          IntStream.range(0, 10).<Callable<Integer>>mapToObj(i -> () -> i).toList();
      assertThatThrownBy(() -> rejecting.submitAll(tooMany))
          .isInstanceOf(RejectedException.class)
          .hasMessageContaining("more than the pool holds");
      assertThat(rejecting.status().queued()).isZero();
    }
  }

  @Test
  void aWorkerIsReplacedAfterItsTaskLimitAndEachRunsTheInitializerOnce() {
    AtomicInteger initialized = new AtomicInteger();
    WorkerPool.Settings settings =
        WorkerPool.Settings.blocking(1)
            .withMaxTasksPerWorker(2)
            .withInitializer(initialized::incrementAndGet);
    try (WorkerPoolClient pool = pool(settings)) {
      List<Callable<Integer>> tasks =
          IntStream.range(0, 7).<Callable<Integer>>mapToObj(i -> () -> i).toList();
      List<TaskFuture<Integer>> futures = pool.submitAll(tasks);
      for (int i = 0; i < 7; i++) {
        assertThat(futures.get(i).result(WAIT)).isEqualTo(i); // none lost to a retiring worker
      }
      assertThat(pool.status().workersRetired()).isGreaterThanOrEqualTo(3);
      assertThat(pool.status().workersReplaced()).isZero(); // retiring is no death
      assertThat(initialized.get()).isGreaterThanOrEqualTo(4);
    }
  }

  @Test
  void aWorkerWhoseInitializerFailsIsReplaced() {
    AtomicInteger attempts = new AtomicInteger();
    WorkerPool.Settings settings =
        WorkerPool.Settings.blocking(1)
            .withInitializer(
                () -> {
                  if (attempts.incrementAndGet() == 1) {
                    throw new IllegalStateException("no database yet");
                  }
                });
    try (WorkerPoolClient pool = pool(settings)) {
      assertThat(pool.submit(() -> "ran").result(WAIT)).isEqualTo("ran");
      assertThat(attempts.get()).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void terminateInterruptsTheRunningTaskAndCancelsTheQueued() {
    WorkerPoolClient pool = pool(WorkerPool.Settings.blocking(1));
    CountDownLatch started = new CountDownLatch(1);
    TaskFuture<String> running =
        pool.submit(
            () -> {
              started.countDown();
              new CountDownLatch(1).await();
              return "never";
            });
    TaskFuture<String> queued = pool.submit(() -> "queued");
    await(started);
    assertThat(pool.terminate()).isTrue();
    assertThat(running.cancelled()).isTrue();
    assertThat(queued.cancelled()).isTrue();
  }
}
