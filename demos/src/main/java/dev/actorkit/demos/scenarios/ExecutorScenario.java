package dev.actorkit.demos.scenarios;

import dev.actorkit.demos.Scenario;
import dev.actorkit.demos.ScenarioContext;
import dev.actorkit.demos.ScenarioOption;
import dev.actorkit.demos.ScenarioResult;
import dev.actorkit.demos.Story;
import dev.actorkit.demos.ThreadsTrace;
import dev.actorkit.patterns.pool.TaskFuture;
import dev.actorkit.patterns.pool.WorkerPool;
import dev.actorkit.patterns.pool.WorkerPoolClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Python's first {@code concurrent.futures} lesson: two calls that each take 5 seconds take 10 one
 * after the other, and about 5 on a pool, while the main program goes on at once.
 */
public final class ExecutorScenario implements Scenario {

  @Override
  public String name() {
    return "executor";
  }

  @Override
  public String title() {
    return "Two slow calls: one after the other, then on a thread pool, then on an actor worker pool";
  }

  @Override
  public List<ScenarioOption> options() {
    return List.of(
        ScenarioOption.integer("calls", 2, "how many slow calls").atLeast(1),
        ScenarioOption.seconds("seconds", 5, "how long each call takes (story seconds)").above(0));
  }

  @Override
  public ScenarioResult run(ScenarioContext context) throws Exception {
    Story story = context.story();
    int calls = context.intOption("calls");
    Duration each = context.secondsOption("seconds");

    story.section("One after the other: the plain script");
    Duration start = story.elapsed();
    List<String> serialResults = new ArrayList<>();
    for (int call = 1; call <= calls; call++) {
      serialResults.add(slowCall(context, call, each));
    }
    long serialMs = story.elapsed().minus(start).toMillis();
    story.say(
        "all %d calls returned after %.1fs: each waited for the one before",
        calls, serialMs / 1000.0);

    story.section(
        "With threads: java.util.concurrent's ThreadPoolExecutor (Python's ThreadPoolExecutor)");
    // Threads named as the WorkerPool's workers and traced as its pool, so the lanes line up.
    ExecutorService threads = Executors.newFixedThreadPool(calls, ThreadsTrace.named("worker"));
    ThreadsTrace trace = ThreadsTrace.of(context, "calls");
    start = story.elapsed();
    List<Future<String>> threadFutures = new ArrayList<>();
    try {
      for (int call = 1; call <= calls; call++) {
        int n = call;
        threadFutures.add(
            threads.submit(
                () -> {
                  trace.started("call " + n);
                  String result = slowCall(context, n, each);
                  trace.finished("call " + n);
                  return result;
                }));
      }
      story.say("main goes on at once: %d calls submitted, nothing waited for yet", calls);
      for (Future<String> future : threadFutures) {
        future.get();
      }
    } finally {
      threads.shutdown();
    }
    long threadsMs = story.elapsed().minus(start).toMillis();
    story.say("main collected every result after %.1fs", threadsMs / 1000.0);

    story.section("With actors: a WorkerPool, its workers on the kit's blocking dispatcher");
    story.note("submit() tells the pool's coordinator actor and returns a TaskFuture at once;");
    story.note(
        "the sleep runs on a worker actor's thread from the blocking dispatcher, never on an actor that coordinates.");
    List<String> pooledResults = new ArrayList<>();
    long pooledMs;
    try (WorkerPoolClient pool =
        WorkerPoolClient.start(context.kit(), "calls", WorkerPool.Settings.blocking(calls))) {
      start = story.elapsed();
      List<TaskFuture<String>> futures = new ArrayList<>();
      for (int call = 1; call <= calls; call++) {
        int n = call;
        futures.add(pool.submit(() -> slowCall(context, n, each)));
      }
      story.say("main goes on at once: %d tasks submitted", calls);
      for (TaskFuture<String> future : futures) {
        pooledResults.add(future.result(each.multipliedBy(calls).plusSeconds(30)));
      }
      pooledMs = story.elapsed().minus(start).toMillis();
      story.say("main collected every result after %.1fs", pooledMs / 1000.0);
    }
    story.note("");
    story.note(
        "Serial: %.1fs. Pooled: %.1fs. The calls spend their time waiting, so they can wait together.",
        serialMs / 1000.0, pooledMs / 1000.0);

    boolean sameAnswers = serialResults.equals(pooledResults);
    return ScenarioResult.of(sameAnswers)
        .with("calls", calls)
        .with("serial_ms", serialMs)
        .with("threads_ms", threadsMs)
        .with("pooled_ms", pooledMs);
  }

  private static String slowCall(ScenarioContext context, int call, Duration each)
      throws InterruptedException {
    context
        .story()
        .say(
            "call %d starts (takes %.0fs) on %s",
            call, each.toMillis() / 1000.0, Thread.currentThread().getName());
    context.pause(each);
    context.story().say("call %d returns", call);
    return "result " + call;
  }
}
