package dev.actorkit.demos.scenarios;

import dev.actorkit.core.TaskGroup;
import dev.actorkit.core.errors.TaskGroupException;
import dev.actorkit.core.errors.TimedOutException;
import dev.actorkit.demos.Scenario;
import dev.actorkit.demos.ScenarioContext;
import dev.actorkit.demos.ScenarioOption;
import dev.actorkit.demos.ScenarioResult;
import dev.actorkit.demos.Story;
import dev.actorkit.demos.ThreadsTrace;
import dev.actorkit.patterns.pool.WorkerPool;
import dev.actorkit.patterns.pool.WorkerPoolClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code asyncio.TaskGroup} and {@code asyncio.timeout()}: three downloads, one of which fails, so
 * the other two are cancelled and the group reports the failure. First by hand, with an {@code
 * ExecutorService} (find the first failure, cancel the rest, collect the errors), then with a
 * {@link TaskGroup} over a {@code WorkerPool}; last, a timeout scope.
 */
public final class TaskGroupScenario implements Scenario {

  /**
   * Real milliseconds the caller must have, between b.txt's failure and the others' end, to cancel
   * them: a busy machine can delay a thread by tens of milliseconds.
   */
  private static final int MIN_CANCEL_WINDOW_MS = 50;

  /** Real seconds a download waits for the others to start before giving up. */
  private static final long START_GATE_SECONDS = 10;

  @Override
  public String name() {
    return "task-group";
  }

  @Override
  public String title() {
    return "asyncio.TaskGroup: three downloads, one fails, the other two are cancelled; then asyncio.timeout()";
  }

  @Override
  public List<ScenarioOption> options() {
    return List.of(
        ScenarioOption.seconds(
                "fail-after", 1.0, "seconds (story time) until the failing download fails")
            .atLeast(0),
        ScenarioOption.seconds(
                "download", 10.0, "seconds (story time) each of the other downloads takes")
            .atLeast(0));
  }

  /** One run: what was started, failed and cancelled, and the failures' messages. */
  private record Tally(int started, int failed, int cancelled, List<String> errors) {
    Map<String, Object> figures() {
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("started", started);
      figures.put("failed", failed);
      figures.put("cancelled", cancelled);
      figures.put("errors", errors);
      return figures;
    }
  }

  @Override
  public void check(Map<String, Object> options, double speed) {
    double failAfter = (Double) options.get("fail-after");
    double download = (Double) options.get("download");
    if (download < 2 * failAfter) {
      throw new IllegalArgumentException(
          "--download must be at least twice --fail-after ("
              + failAfter
              + "): the other downloads must still run when b.txt fails, was "
              + download);
    }
    double cancelMs = (download - failAfter) * 1000 / speed;
    if (cancelMs < MIN_CANCEL_WINDOW_MS) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "--download %s and --fail-after %s at --speed %s leave %.1f ms of real time to cancel the"
                  + " other downloads once b.txt fails; it must be at least %d ms",
              download,
              failAfter,
              speed,
              cancelMs,
              MIN_CANCEL_WINDOW_MS));
    }
  }

  @Override
  public ScenarioResult run(ScenarioContext context) throws Exception {
    Duration failAfter = context.secondsOption("fail-after");
    Duration download = context.secondsOption("download");
    Story story = context.story();
    List<String> files = List.of("a.txt", "b.txt", "c.txt");

    story.section("By hand, with an ExecutorService");
    story.note(
        "Three downloads start together; b.txt fails %.1fs after all three have started, the others"
            + " would take %.1fs.",
        seconds(failAfter), seconds(download));
    story.note(
        "Nothing stops a.txt and c.txt when b.txt fails: the caller must notice the failure, cancel the");
    story.note(
        "others itself, and keep the errors to report (what asyncio.TaskGroup does for you).");
    Tally byHand = byHand(context, files, failAfter, download);
    story.note("by hand: %s", byHand.figures());

    story.section("With a TaskGroup over a WorkerPool (asyncio.TaskGroup)");
    story.note(
        "try (TaskGroup group = kit.futures().taskGroup()) { group.add(pool.submit(...)); ... }");
    story.note(
        "The first failure cancels every task still running (interrupting it on the pool), and leaving");
    story.note(
        "the block throws a TaskGroupException holding every failure, like Python's ExceptionGroup.");
    Tally grouped;
    Tally scoped;
    try (WorkerPoolClient pool =
        WorkerPoolClient.start(context.kit(), "downloads", WorkerPool.Settings.blocking(3))) {
      grouped = withGroup(context, pool, files, failAfter, download);
      story.note("task group: %s", grouped.figures());

      story.section("A timeout scope (asyncio.timeout(5s))");
      story.note(
          "Two downloads in a scope of 5s: the quick one (0.5s) finishes, the slow one (30s) is cancelled at"
              + " the deadline,");
      story.note("and leaving the scope throws TimedOutException (Python's TimeoutError).");
      scoped = withTimeout(context, pool);
      story.note("timeout scope: %s", scoped.figures());
    }

    boolean ok =
        byHand.failed() == 1
            && byHand.cancelled() == 2
            && grouped.started() == 3
            && grouped.failed() == 1
            && grouped.cancelled() == 2
            && scoped.cancelled() == 1;
    ScenarioResult result = ScenarioResult.of(ok);
    grouped.figures().forEach(result::with);
    return result.with("by_hand", byHand.figures()).with("timeout_scope", scoped.figures());
  }

  private static Tally byHand(
      ScenarioContext context, List<String> files, Duration failAfter, Duration download)
      throws Exception {
    Story story = context.story();
    // Threads named as the WorkerPool's workers and traced as its pool, so the lanes line up.
    ExecutorService executor =
        Executors.newFixedThreadPool(files.size(), ThreadsTrace.named("worker"));
    ThreadsTrace trace = ThreadsTrace.of(context, "downloads");
    CountDownLatch started = new CountDownLatch(files.size());
    try {
      ExecutorCompletionService<String> completion = new ExecutorCompletionService<>(executor);
      List<Future<String>> futures = new ArrayList<>();
      for (String file : files) {
        futures.add(
            completion.submit(
                () -> {
                  trace.started(file);
                  try {
                    String done =
                        fetch(context, file, file.equals("b.txt"), failAfter, download, started);
                    trace.finished(file);
                    return done;
                  } catch (InterruptedException e) {
                    trace.ended("cancelled", file);
                    throw e;
                  } catch (RuntimeException e) {
                    trace.ended("failed", file + ": " + e.getMessage());
                    throw e;
                  }
                }));
      }
      List<String> errors = new ArrayList<>();
      int cancelled = 0;
      for (int i = 0; i < files.size(); i++) {
        Future<String> next = completion.take();
        try {
          next.get();
        } catch (CancellationException e) {
          continue;
        } catch (ExecutionException e) {
          errors.add(e.getCause().getMessage());
          story.say("the caller sees %s and cancels the others by hand", e.getCause().getMessage());
          for (Future<String> other : futures) {
            if (!other.isDone() && other.cancel(true)) {
              cancelled++;
            }
          }
        }
      }
      return new Tally(files.size(), errors.size(), cancelled, errors);
    } finally {
      executor.shutdownNow();
      executor.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private static Tally withGroup(
      ScenarioContext context,
      WorkerPoolClient pool,
      List<String> files,
      Duration failAfter,
      Duration download) {
    Story story = context.story();
    TaskGroup group = context.kit().futures().taskGroup();
    List<String> errors = new ArrayList<>();
    CountDownLatch started = new CountDownLatch(files.size());
    try (group) {
      for (String file : files) {
        group.add(
            pool.submit(
                () -> fetch(context, file, file.equals("b.txt"), failAfter, download, started)));
      }
      story.say("the body is done; leaving the block waits for the group");
    } catch (TaskGroupException failed) {
      failed.errors().forEach(error -> errors.add(rootMessage(error)));
      story.say("leaving the group throws TaskGroupException: %s", failed.getMessage());
    }
    return new Tally(group.started(), group.failed(), group.cancelled(), errors);
  }

  private static Tally withTimeout(ScenarioContext context, WorkerPoolClient pool) {
    Story story = context.story();
    TaskGroup scope = context.kit().futures().timeoutScope(Duration.ofSeconds(5));
    List<String> errors = new ArrayList<>();
    // No gate here: the deadline counts from the scope's start, so small.txt must not wait for
    // large.iso's worker; each download starts when its worker takes it.
    CountDownLatch started = new CountDownLatch(0);
    try (scope) {
      scope.add(
          pool.submit(
              () ->
                  fetch(
                      context,
                      "small.txt",
                      false,
                      Duration.ZERO,
                      Duration.ofMillis(500),
                      started)));
      scope.add(
          pool.submit(
              () ->
                  fetch(
                      context,
                      "large.iso",
                      false,
                      Duration.ZERO,
                      Duration.ofSeconds(30),
                      started)));
    } catch (TimedOutException timedOut) {
      errors.add(timedOut.getClass().getSimpleName());
      story.say("leaving the scope throws %s", timedOut.getMessage());
    }
    return new Tally(scope.started(), scope.failed(), scope.cancelled(), errors);
  }

  /**
   * Downloads {@code file} (a pause on the kit clock), failing after {@code failAfter} if {@code
   * fails}. Every download starts its clock only once all of them have counted themselves into
   * {@code started}, so they start together, as the story says: a thread or worker slow to start
   * must neither be cancelled before it ran (and miss its lane in the timeline) nor shorten the
   * others' head start over the failure.
   */
  private static String fetch(
      ScenarioContext context,
      String file,
      boolean fails,
      Duration failAfter,
      Duration download,
      CountDownLatch started)
      throws InterruptedException {
    Story story = context.story();
    story.say("%s: downloading", file);
    started.countDown();
    try {
      if (!started.await(START_GATE_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException(
            file + ": the other downloads did not start within " + START_GATE_SECONDS + " s");
      }
      if (fails) {
        context.pause(failAfter);
        story.say("%s: the server answers 503", file);
        throw new IllegalStateException(file + ": 503 Service Unavailable");
      }
      context.pause(download);
    } catch (InterruptedException cancelled) {
      story.say("%s: cancelled while downloading", file);
      throw cancelled;
    }
    story.say("%s: done", file);
    return file;
  }

  private static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage();
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }
}
