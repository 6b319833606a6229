package dev.actorkit.cluster.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.TestProbe;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.errors.TaskFailedException;
import dev.actorkit.core.errors.WorkerDiedException;
import dev.actorkit.patterns.pool.TaskFuture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real worker JVMs: few, bounded in time, always ended (the kit's close ends any left). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessPoolTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final List<String> output = new CopyOnWriteArrayList<>();
  private static ActorKit kit;
  private static int pools;

  @BeforeAll
  static void startKit() {
    kit = ActorKit.create("process-pool-test");
  }

  @AfterAll
  static void closeKit() {
    kit.close();
  }

  private static ProcessPoolClient pool(int processes) {
    return ProcessPoolClient.start(
            kit,
            "processes-" + (++pools),
            ProcessPool.Settings.of(processes, TestTasks.class).withOutput(output::add))
        .withTimeout(WAIT);
  }

  @Test
  void tasksRunInWorkerJvmsAndMapKeepsTheInputOrder() {
    try (ProcessPoolClient pool = pool(2)) {
      assertThat(
              pool.map(Long.class, "square", IntStream.rangeClosed(1, 50).boxed().toList(), WAIT))
          .containsExactlyElementsOf(
              IntStream.rangeClosed(1, 50).mapToObj(i -> (long) i * i).toList());
      String greeting = pool.submit(String.class, "greet", "parent").result(WAIT);
      assertThat(greeting)
          .startsWith("hello parent from ")
          .doesNotEndWith(" " + ProcessHandle.current().pid());
      assertThat(pool.submit(TestTasks.Point.class, "point", 3, 4).result(WAIT))
          .isEqualTo(new TestTasks.Point(3, 4));
      ProcessPool.Status status = awaitProcesses(pool, 2);
      assertThat(status.completed()).isEqualTo(52);
      assertThat(status.pids()).doesNotContain(ProcessHandle.current().pid());
    }
  }

  @Test
  void aTaskThatRaisesFailsOnlyItselfAndSaysWhatItRaised() {
    try (ProcessPoolClient pool = pool(1)) {
      TaskFuture<String> bad = pool.submit(String.class, "fail", "no");
      TaskFuture<Long> good = pool.submit(Long.class, "square", 7);
      assertThatThrownBy(() -> bad.result(WAIT))
          .isInstanceOf(TaskFailedException.class)
          .cause()
          .isInstanceOfSatisfying(
              ProcessTaskException.class,
              remote -> {
                assertThat(remote.remoteType()).isEqualTo("java.lang.IllegalStateException");
                assertThat(remote.getMessage()).contains("task says no", "worker-1");
                assertThat(remote.remoteStackTrace()).contains("TestTasks");
              });
      assertThat(good.result(WAIT)).isEqualTo(49L);
      assertThat(pool.status().workerRestarts()).isZero();
    }
  }

  @Test
  void systemExitInATaskFailsThatTaskWithItsExitCodeAndANewWorkerJvmTakesOver() {
    try (ProcessPoolClient pool = pool(1)) {
      assertThat(pool.submit(String.class, "greet", "first").result(WAIT))
          .startsWith("hello first"); // the worker is up
      TaskFuture<Object> exit = pool.submit(Object.class, "exit", 42);
      List<TaskFuture<Long>> after = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        after.add(pool.submit(Long.class, "square", i)); // queued behind it, maybe in its batch
      }
      assertThatThrownBy(() -> exit.result(WAIT))
          .isInstanceOfSatisfying(
              WorkerDiedException.class,
              died -> {
                assertThat(died.exitCode()).hasValue(42);
                assertThat(died.getMessage()).contains("exited with code 42", "'exit'");
              });
      for (int i = 0; i < 5; i++) {
        assertThat(after.get(i).result(WAIT)).isEqualTo((long) i * i);
      }
      ProcessPool.Status status = pool.status();
      assertThat(status.workerRestarts()).isOne();
      assertThat(status.failed()).isOne();
    }
  }

  @Test
  void aWorkerJvmKilledMidTaskFailsOnlyThatTaskWithExitCode137(@TempDir Path dir) throws Exception {
    try (ProcessPoolClient pool = pool(2)) {
      Path pidFile = dir.resolve("hang.pid");
      TaskFuture<String> hanging = pool.submit(String.class, "hang", pidFile.toString(), 120_000);
      long pid = awaitPid(pidFile);
      List<TaskFuture<Long>> others = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        others.add(pool.submit(Long.class, "square", i));
      }
      ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL
      assertThatThrownBy(() -> hanging.result(WAIT))
          .isInstanceOfSatisfying(
              WorkerDiedException.class, died -> assertThat(died.exitCode()).hasValue(137));
      for (int i = 0; i < 10; i++) {
        assertThat(others.get(i).result(WAIT)).isEqualTo((long) i * i);
      }
      assertThat(pool.submit(String.class, "greet", "again").result(WAIT))
          .startsWith("hello again");
      assertThat(pool.status().workerRestarts()).isOne();
      assertThat(pool.status().pids()).doesNotContain(pid);
    }
  }

  @Test
  void aWorkerThatAnswersAndThenExitsHasItsAnswerCountedAndOnlyTheExitFails() {
    try (ProcessPoolClient pool = pool(1)) {
      // Submitted before the worker JVM is up, so they go to it as one batch: the answer to the
      // first is on the wire when the second ends the JVM, and must not be overtaken by the exit.
      TaskFuture<Long> answered = pool.submit(Long.class, "square", 6);
      TaskFuture<Object> exits = pool.submit(Object.class, "exit", 7);
      TaskFuture<Long> requeued = pool.submit(Long.class, "square", 8);
      assertThat(answered.result(WAIT)).isEqualTo(36L);
      assertThatThrownBy(() -> exits.result(WAIT))
          .isInstanceOfSatisfying(
              WorkerDiedException.class, died -> assertThat(died.exitCode()).hasValue(7));
      assertThat(requeued.result(WAIT)).isEqualTo(64L);
      ProcessPool.Status status = pool.status();
      assertThat(status.completed()).isEqualTo(2);
      assertThat(status.failed()).isOne();
      assertThat(status.workerRestarts()).isOne();
    }
  }

  @Test
  void aShutdownWaitsForTasksLeftByAWorkerThatDiesMeanwhile(@TempDir Path dir) throws Exception {
    ProcessPoolClient pool = pool(1);
    Path pidFile = dir.resolve("hang.pid");
    TaskFuture<String> first = pool.submit(String.class, "hang", pidFile.toString(), 300);
    TaskFuture<Object> exits = pool.submit(Object.class, "exit", 5);
    TaskFuture<Long> last = pool.submit(Long.class, "square", 9);
    awaitPid(pidFile);
    assertThat(pool.shutdown(true, false))
        .isTrue(); // the last task needs a new worker JVM, shutdown or not
    assertThat(first.result(WAIT)).isEqualTo("woke");
    assertThatThrownBy(() -> exits.result(WAIT)).isInstanceOf(WorkerDiedException.class);
    assertThat(last.result(WAIT)).isEqualTo(81L);
  }

  @Test
  void aCallbackOnAFailedTaskMayWaitForAnotherTaskOfTheSamePool() throws Exception {
    try (ProcessPoolClient pool = pool(1)) {
      TaskFuture<String> bad = pool.submit(String.class, "fail", "first");
      CompletableFuture<Long> fromCallback =
          bad.handle((value, failure) -> pool.submit(Long.class, "square", 5).result(WAIT))
              .toCompletableFuture();
      assertThat(fromCallback.get(60, TimeUnit.SECONDS))
          .isEqualTo(25L); // the callback does not run on the pool actor
    }
  }

  @Test
  void argumentsTooLongForAFrameAreRefused() {
    try (ProcessPoolClient pool = pool(1)) {
      String huge = "x".repeat(ProcessPool.FRAME_BUDGET + 1);
      assertThatThrownBy(() -> pool.submit(String.class, "greet", huge))
          .isInstanceOf(RejectedException.class)
          .hasMessageContaining("more than a task may carry");
      assertThat(pool.submit(String.class, "greet", "short").result(WAIT))
          .startsWith("hello short");
    }
  }

  @Test
  void unknownTasksAndArgumentsThatAreNotJsonAreRefusedBeforeAnythingIsQueued() {
    try (ProcessPoolClient pool = pool(1)) {
      assertThatThrownBy(() -> pool.submit(String.class, "no-such-task"))
          .isInstanceOf(RejectedException.class)
          .hasMessageContaining("no task named 'no-such-task'")
          .hasMessageContaining("square");
      assertThatThrownBy(() -> pool.submit(String.class, "greet", new Object()))
          .isInstanceOf(RejectedException.class)
          .hasMessageContaining("cannot be written as JSON");
      assertThat(pool.status().queued()).isZero();
      assertThat(pool.submit(String.class, "greet", "still fine").result(WAIT))
          .startsWith("hello still fine");
    }
    assertThatThrownBy(() -> ProcessPool.Settings.of(0, TestTasks.class))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cancelTakesAQueuedTaskAndShutdownCancelsTheQueue(@TempDir Path dir) throws Exception {
    ProcessPoolClient pool = pool(1);
    Path pidFile = dir.resolve("hang.pid");
    TaskFuture<String> running = pool.submit(String.class, "hang", pidFile.toString(), 1_000);
    awaitPid(pidFile);
    TaskFuture<Long> queued = pool.submit(Long.class, "square", 3);
    TaskFuture<Long> alsoQueued = pool.submit(Long.class, "square", 4);
    assertThat(queued.cancel()).isTrue();
    assertThat(running.cancel())
        .isFalse(); // running in another JVM: cannot be cancelled, as in Python
    assertThat(pool.shutdown(true, true)).isTrue();
    assertThat(alsoQueued.isCancelled()).isTrue();
    assertThat(running.result(WAIT)).isEqualTo("woke");
    assertThatThrownBy(() -> pool.submit(Long.class, "square", 1))
        .isInstanceOf(RejectedException.class);
  }

  @Test
  void terminateKillsTheWorkerJvmsAndCancelsEveryTask(@TempDir Path dir) throws Exception {
    ProcessPoolClient pool = pool(1);
    Path pidFile = dir.resolve("hang.pid");
    TaskFuture<String> running = pool.submit(String.class, "hang", pidFile.toString(), 120_000);
    long pid = awaitPid(pidFile);
    TaskFuture<Long> queued = pool.submit(Long.class, "square", 3);
    assertThat(pool.terminate()).isTrue();
    assertThat(running.isCancelled()).isTrue();
    assertThat(queued.isCancelled()).isTrue();
    Optional<ProcessHandle> worker = ProcessHandle.of(pid);
    if (worker.isPresent()) {
      worker.get().onExit().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void closingTheKitEndsEveryWorkerJvm() throws Exception {
    ActorKit own = ActorKit.create("process-pool-close");
    List<Long> pids;
    try {
      ProcessPoolClient pool =
          ProcessPoolClient.start(
                  own,
                  "closing",
                  ProcessPool.Settings.of(2, TestTasks.class).withOutput(output::add))
              .withTimeout(WAIT);
      pool.map(Long.class, "square", List.of(1, 2, 3, 4), WAIT);
      pids = awaitProcesses(pool, 2).pids();
    } finally {
      own.close();
    }
    for (long pid : pids) {
      Optional<ProcessHandle> worker = ProcessHandle.of(pid);
      if (worker.isPresent()) {
        worker.get().onExit().get(30, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * The pool's status once {@code count} worker JVMs are connected (they start in their own time).
   */
  private static ProcessPool.Status awaitProcesses(ProcessPoolClient pool, int count) {
    return TestProbe.create(kit.system())
        .awaitAssert(
            WAIT,
            () -> {
              ProcessPool.Status status = pool.status();
              assertThat(status.processes()).isEqualTo(count);
              return status;
            });
  }

  /** The pid a "hang" task wrote to {@code file} once it started. */
  private static long awaitPid(Path file) {
    return TestProbe.create(kit.system())
        .awaitAssert(
            WAIT,
            () -> {
              assertThat(file).exists();
              String text = Files.readString(file).trim();
              assertThat(text).isNotEmpty();
              return Long.parseLong(text);
            });
  }
}
