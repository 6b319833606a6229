package dev.actorkit.demos.scenarios;

import dev.actorkit.core.Futures;
import dev.actorkit.core.errors.TimedOutException;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * asyncio's {@code gather}, {@code wait(return_when=FIRST_COMPLETED, timeout)} and {@code
 * wait_for}.
 */
public final class GatherWaitScenario implements Scenario {

  private static final Duration LONG = Duration.ofSeconds(120);

  @Override
  public String name() {
    return "gather-wait";
  }

  @Override
  public String title() {
    return "gather, wait(FIRST_COMPLETED, timeout) and wait_for cancelling a slow task";
  }

  @Override
  public ScenarioResult run(ScenarioContext context) throws Exception {
    Story story = context.story();
    Futures futures = context.kit().futures();
    try (WorkerPoolClient pool =
        WorkerPoolClient.start(context.kit(), "tasks", WorkerPool.Settings.blocking(4))) {
      story.section("gather: three downloads of 3s, 1s and 2s");
      List<TaskFuture<String>> downloads =
          List.of(
              pool.submit(() -> download(context, "a.txt", 3)),
              pool.submit(() -> download(context, "b.txt", 1)),
              pool.submit(() -> download(context, "c.txt", 2)));
      List<String> gathered =
          futures.gather(downloads).toCompletableFuture().get(LONG.toSeconds(), TimeUnit.SECONDS);
      story.say("gather -> %s: in the order asked for, not the order finished", gathered);

      story.section(
          "wait(return_when=FIRST_COMPLETED, timeout=5s): go on with whatever is done first");
      CountDownLatch racing = new CountDownLatch(3);
      List<TaskFuture<String>> racers =
          List.of(
              pool.submit(() -> download(context, "mirror-1", 4, racing)),
              pool.submit(() -> download(context, "mirror-2", 1, racing)),
              pool.submit(() -> download(context, "mirror-3", 6, racing)));
      // the 5s start once all three run: a worker slow to start must not eat mirror-2's lead
      awaitRunning(racing);
      Futures.DoneAndPending<String> first =
          futures
              .wait(racers, Duration.ofSeconds(5), Futures.ReturnWhen.FIRST_COMPLETED)
              .toCompletableFuture()
              .get(LONG.toSeconds(), TimeUnit.SECONDS);
      story.say(
          "wait -> %d done (%s), %d pending",
          first.done().size(),
          first.done().isEmpty() ? "none" : first.done().get(0).join(),
          first.pending().size());
      story.note("The pending ones keep running; cancel them if they are no longer wanted:");
      first.pending().forEach(pending -> pending.cancel(true));
      story.say("cancelled %d pending downloads", first.pending().size());

      story.section("wait_for(slow task, timeout=2s): the task is cancelled when the time is up");
      CountDownLatch interrupted = new CountDownLatch(1);
      CountDownLatch running = new CountDownLatch(1);
      TaskFuture<String> slow =
          pool.submit(
              () -> {
                try {
                  return download(context, "huge.iso", 60, running);
                } catch (InterruptedException e) {
                  story.say("huge.iso: interrupted, stops downloading");
                  interrupted.countDown();
                  throw e;
                }
              });
      // waited for once it runs: cancelled while still queued, it would never be interrupted
      awaitRunning(running);
      CompletableFuture<String> waited = futures.waitFor(slow, Duration.ofSeconds(2));
      boolean timedOut = false;
      try {
        waited.get(LONG.toSeconds(), TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        timedOut = e.getCause() instanceof TimedOutException;
        story.say("wait_for -> TimeoutError; the task was cancelled: %s", slow.cancelled());
      }
      boolean stopped = interrupted.await(LONG.toSeconds(), TimeUnit.SECONDS);
      boolean cancelledByWaitFor = timedOut && slow.cancelled() && stopped;

      List<String> expected = List.of("a.txt", "b.txt", "c.txt");
      boolean ok = gathered.equals(expected) && first.done().size() >= 1 && cancelledByWaitFor;
      return ScenarioResult.of(ok)
          .with("gathered", new ArrayList<>(gathered))
          .with("done", first.done().size())
          .with("pending", first.pending().size())
          .with("cancelled_by_wait_for", cancelledByWaitFor);
    }
  }

  private static String download(ScenarioContext context, String file, int seconds)
      throws InterruptedException {
    return download(context, file, seconds, new CountDownLatch(1));
  }

  /** Downloads {@code file}, counting {@code running} down once it has begun. */
  private static String download(
      ScenarioContext context, String file, int seconds, CountDownLatch running)
      throws InterruptedException {
    context.story().say("%s: downloading (%ds)", file, seconds);
    running.countDown();
    context.pause(Duration.ofSeconds(seconds));
    context.story().say("%s: done", file);
    return file;
  }

  private static void awaitRunning(CountDownLatch running) throws InterruptedException {
    if (!running.await(LONG.toSeconds(), TimeUnit.SECONDS)) {
      throw new IllegalStateException("the downloads did not start within " + LONG);
    }
  }
}
