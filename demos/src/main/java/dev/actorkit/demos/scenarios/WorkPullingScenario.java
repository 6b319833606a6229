package dev.actorkit.demos.scenarios;

import dev.actorkit.core.ActorKit;
import dev.actorkit.core.KitClock;
import dev.actorkit.demos.Scenario;
import dev.actorkit.demos.ScenarioContext;
import dev.actorkit.demos.ScenarioOption;
import dev.actorkit.demos.ScenarioResult;
import dev.actorkit.demos.Story;
import dev.actorkit.demos.ThreadsTrace;
import dev.actorkit.patterns.buffer.WorkQueue;
import dev.actorkit.patterns.buffer.WorkQueueClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One producer, several workers, and one worker that crashes in the middle of a job. With threads
 * pulling from a {@code LinkedBlockingQueue} the job the dying thread held is gone; with a {@link
 * WorkQueue} (Akka's reliable delivery in work-pulling mode) it is delivered again.
 */
public final class WorkPullingScenario implements Scenario {

  private static final Duration PATIENCE = Duration.ofMinutes(10);

  /** Real seconds a worker thread waits for the others to start. */
  private static final long READY_SECONDS = 10;

  @Override
  public String name() {
    return "work-pulling";
  }

  @Override
  public String title() {
    return "Workers pull jobs; one crashes mid-job: lost with threads, redelivered with a WorkQueue";
  }

  @Override
  public List<ScenarioOption> options() {
    return List.of(
        ScenarioOption.integer("items", 12, "how many jobs the producer submits").atLeast(1),
        ScenarioOption.integer("workers", 3, "how many workers pull jobs").atLeast(2),
        ScenarioOption.integer(
                "crash-at", 2, "the first worker to reach its Nth job crashes in the middle of it")
            .atLeast(1),
        ScenarioOption.seconds("work", 0.5, "seconds (story time) one job takes").atLeast(0));
  }

  @Override
  public void check(Map<String, Object> options) {
    int workers = (Integer) options.get("workers");
    int crashAt = (Integer) options.get("crash-at");
    if ((Integer) options.get("items") < workers * (crashAt - 1) + 1) {
      throw new IllegalArgumentException(
          "--items must be at least workers * (crash-at - 1) + 1 = "
              + (workers * (crashAt - 1) + 1)
              + " so that some worker reaches its job #"
              + crashAt);
    }
  }

  @Override
  public ScenarioResult run(ScenarioContext context) throws Exception {
    int items = context.intOption("items");
    int workers = context.intOption("workers");
    int crashAt = context.intOption("crash-at");
    Duration work = context.secondsOption("work");
    Story story = context.story();

    story.section("With threads pulling from a LinkedBlockingQueue");
    story.note(
        "%d worker threads take jobs from one queue; the first to reach its job #%d throws in the middle of it.",
        workers, crashAt);
    Map<String, Object> threads = withThreads(context, items, workers, crashAt, work);
    story.note("threads: %s", threads);
    story.note(
        "The job the dead thread had taken out of the queue is nowhere: nobody else knows it existed.");

    story.section("With actors: a WorkQueue over Akka's reliable delivery (work pulling)");
    story.note(
        "The producer hands a job to a worker only when that worker asks for one, and keeps it until the");
    story.note(
        "worker confirms it. The first worker to reach its job #%d crashes in the middle of it; it restarts, and",
        crashAt);
    story.note("the unconfirmed job is delivered again.");
    Map<String, Object> actors = withActors(context, items, workers, crashAt, work);
    story.note("actors: %s", actors);

    boolean ok =
        (long) actors.get("lost") == 0
            && (long) actors.get("processed") == items
            && (long) actors.get("redelivered") >= 1;
    ScenarioResult result = ScenarioResult.of(ok);
    actors.forEach(result::with);
    return result.with("threads", threads);
  }

  private static Map<String, Object> withThreads(
      ScenarioContext context, int items, int workers, int crashAt, Duration work)
      throws InterruptedException {
    Story story = context.story();
    LinkedBlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
    // Named as the actor half's WorkQueue, so both halves share the lanes.
    ThreadsTrace trace = ThreadsTrace.of(context, "jobs");
    for (int job = 1; job <= items; job++) {
      queue.add(job);
      trace.event("put", job);
      trace.level(queue.size());
    }
    Set<Integer> processed = ConcurrentHashMap.newKeySet();
    AtomicBoolean crashed = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    // Every worker is ready before any takes a job: a thread slow to start would otherwise find
    // the queue emptied by the others, and the story (and its lane) would lose it.
    CountDownLatch ready = new CountDownLatch(workers);
    for (int w = 1; w <= workers; w++) {
      int worker = w;
      Thread thread =
          new Thread(
              () -> {
                int count = 0;
                try {
                  ready.countDown();
                  if (!ready.await(READY_SECONDS, TimeUnit.SECONDS)) {
                    story.say(
                        "worker-%d: the other workers did not start within %d s; it takes no job",
                        worker, READY_SECONDS);
                    return;
                  }
                  Integer job;
                  while ((job = queue.poll()) != null) {
                    trace.level(queue.size());
                    count++;
                    trace.started("job " + job);
                    story.say("worker-%d starts job %d", worker, job);
                    if (count == crashAt && crashed.compareAndSet(false, true)) {
                      context.pause(work.dividedBy(2));
                      trace.ended("crashed", "job " + job + " is lost with the thread");
                      story.say(
                          "worker-%d crashes in the middle of job %d; its thread dies",
                          worker, job);
                      throw new IllegalStateException(
                          "worker-" + worker + " crashed on job " + job);
                    }
                    context.pause(work);
                    processed.add(job);
                    trace.finished("job " + job);
                    story.say("worker-%d finished job %d", worker, job);
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              // Named as the WorkQueue's worker actors (queue name, then worker), so the lanes
              // line up; the story still calls it worker-N.
              "jobs-worker-" + worker);
      thread.setUncaughtExceptionHandler((t, e) -> {});
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("items", (long) items);
    figures.put("processed", (long) processed.size());
    figures.put("lost", (long) items - processed.size());
    return figures;
  }

  private static Map<String, Object> withActors(
      ScenarioContext context, int items, int workers, int crashAt, Duration work)
      throws InterruptedException {
    ActorKit kit = context.kit();
    KitClock clock = kit.clock();
    Story story = context.story();
    WorkQueueClient<Integer> queue =
        WorkQueueClient.create(kit, "jobs", WorkQueue.Settings.of(Integer.class, 4));
    Map<Integer, AtomicInteger> starts = new ConcurrentHashMap<>();
    Set<Integer> processed = ConcurrentHashMap.newKeySet();
    CountDownLatch allDone = new CountDownLatch(items);
    AtomicBoolean crashed = new AtomicBoolean();
    for (int w = 1; w <= workers; w++) {
      int worker = w;
      AtomicInteger count = new AtomicInteger();
      queue.addWorker(
          "worker-" + worker,
          job -> {
            int attempt = starts.computeIfAbsent(job, j -> new AtomicInteger()).incrementAndGet();
            story.say(
                "worker-%d starts job %d%s",
                worker, job, attempt > 1 ? " (delivered again, attempt " + attempt + ")" : "");
            if (count.incrementAndGet() == crashAt && crashed.compareAndSet(false, true)) {
              return later(clock, work.dividedBy(2))
                  .thenApply(
                      ignored -> {
                        story.say(
                            "worker-%d crashes in the middle of job %d; it has not confirmed it",
                            worker, job);
                        throw new IllegalStateException(
                            "worker-" + worker + " crashed on job " + job);
                      });
            }
            return later(clock, work)
                .thenRun(
                    () -> {
                      story.say("worker-%d finished job %d and confirms it", worker, job);
                      if (processed.add(job)) {
                        allDone.countDown();
                      }
                    });
          });
    }
    for (int job = 1; job <= items; job++) {
      queue.submit(job, PATIENCE);
    }
    story.say("the producer has submitted all %d jobs", items);
    boolean finished = allDone.await(clock.toReal(PATIENCE).toMillis(), TimeUnit.MILLISECONDS);
    long redelivered = starts.values().stream().filter(n -> n.get() > 1).count();
    story.say(
        "%s: %d jobs confirmed, %d delivered more than once",
        finished ? "all done" : "gave up waiting", processed.size(), redelivered);
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("items", (long) items);
    figures.put("processed", (long) processed.size());
    figures.put("redelivered", redelivered);
    figures.put("lost", (long) items - processed.size());
    return figures;
  }

  private static CompletionStage<Void> later(KitClock clock, Duration story) {
    return CompletableFuture.runAsync(
        () -> {},
        CompletableFuture.delayedExecutor(clock.toReal(story).toNanos(), TimeUnit.NANOSECONDS));
  }
}
