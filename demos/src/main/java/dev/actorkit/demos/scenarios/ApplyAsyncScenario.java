package dev.actorkit.demos.scenarios;

import dev.actorkit.core.errors.WorkerDiedException;
import dev.actorkit.demos.Scenario;
import dev.actorkit.demos.ScenarioContext;
import dev.actorkit.demos.ScenarioResult;
import dev.actorkit.demos.Story;
import dev.actorkit.patterns.pool.TaskFuture;
import dev.actorkit.patterns.pool.WorkerPool;
import dev.actorkit.patterns.pool.WorkerPoolClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code multiprocessing.Pool.apply_async} with callbacks and error callbacks, and a worker that
 * dies mid-task while the pool keeps going (where Python's pools break or hang).
 */
public final class ApplyAsyncScenario implements Scenario {

  /** What a task throws to kill the worker running it, as a crashed Python worker process. */
  static final class WorkerCrash extends Error {
    WorkerCrash(String message) {
      super(message);
    }
  }

  @Override
  public String name() {
    return "apply-async";
  }

  @Override
  public String title() {
    return "apply_async with callbacks and error callbacks; a worker dies mid-task and the pool goes on";
  }

  @Override
  public ScenarioResult run(ScenarioContext context) throws Exception {
    Story story = context.story();
    AtomicInteger callbacks = new AtomicInteger();
    AtomicInteger errorCallbacks = new AtomicInteger();
    AtomicInteger workerDeaths = new AtomicInteger();
    try (WorkerPoolClient pool =
        WorkerPoolClient.start(
            context.kit(), "pool", WorkerPool.Settings.blocking(2).withMaxBatch(1))) {
      story.section("Pool(2).apply_async(square, (n,), callback=..., error_callback=...)");
      story.note(
          "Task 3 raises ValueError; task 5 crashes its worker (an Error, like a Python worker process dying).");
      List<TaskFuture<Integer>> first = new ArrayList<>();
      for (int n = 1; n <= 6; n++) {
        int value = n;
        first.add(
            pool.applyAsync(
                () -> square(context, value),
                result -> {
                  callbacks.incrementAndGet();
                  story.say("callback: %d", result);
                },
                error -> {
                  errorCallbacks.incrementAndGet();
                  if (error instanceof WorkerDiedException) {
                    workerDeaths.incrementAndGet();
                  }
                  story.say("error_callback: %s", error.getMessage());
                }));
      }
      first.forEach(future -> future.exceptionally(error -> null).join());
      // The crashed task's future fails first; the coordinator hears of the death just after.
      WorkerPool.Status afterCrash = pool.status();
      for (int look = 0; look < 1000 && afterCrash.workersReplaced() == 0; look++) {
        context.pause(Duration.ofMillis(10));
        afterCrash = pool.status();
      }
      story.say(
          "the pool replaced %d worker(s) and has %d alive",
          afterCrash.workersReplaced(), afterCrash.workers());

      story.section("The pool keeps going: three more tasks");
      List<Integer> more = new ArrayList<>();
      for (int n = 7; n <= 9; n++) {
        int value = n;
        more.add(pool.apply(() -> square(context, value), Duration.ofSeconds(60)));
      }
      story.say("apply -> %s", more);
      story.note(
          "Python's ProcessPoolExecutor would now raise BrokenProcessPool for every call, and");
      story.note(
          "multiprocessing.Pool would wait forever for the lost task. Here the task's future failed");
      story.note(
          "with WorkerDiedException, the coordinator started a new worker, and the queue went on.");

      boolean handled =
          workerDeaths.get() == 1
              && afterCrash.workersReplaced() >= 1
              && more.equals(List.of(49, 64, 81));
      return ScenarioResult.of(handled && callbacks.get() == 4 && errorCallbacks.get() == 2)
          .with("callbacks", callbacks.get())
          .with("error_callbacks", errorCallbacks.get())
          .with("worker_died_handled", handled);
    }
  }

  private static int square(ScenarioContext context, int n) throws InterruptedException {
    context.pause(Duration.ofMillis(500));
    if (n == 3) {
      throw new IllegalArgumentException("ValueError: 3 is unlucky");
    }
    if (n == 5) {
      context
          .story()
          .say(
              "task 5: crashing worker %s",
              Thread.currentThread().getName().replaceAll(".*-", "#"));
      throw new WorkerCrash("worker crashed while squaring 5");
    }
    return n * n;
  }
}
