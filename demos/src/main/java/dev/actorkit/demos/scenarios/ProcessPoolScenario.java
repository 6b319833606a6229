package dev.actorkit.demos.scenarios;

import dev.actorkit.cluster.ChildJvm;
import dev.actorkit.cluster.process.ProcessPool;
import dev.actorkit.cluster.process.ProcessPoolClient;
import dev.actorkit.core.errors.WorkerDiedException;
import dev.actorkit.core.trace.TraceKind;
import dev.actorkit.demos.Scenario;
import dev.actorkit.demos.ScenarioContext;
import dev.actorkit.demos.ScenarioOption;
import dev.actorkit.demos.ScenarioResult;
import dev.actorkit.demos.Story;
import dev.actorkit.demos.ThreadsTrace;
import dev.actorkit.patterns.pool.TaskFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's {@code ProcessPoolExecutor}, and what happens when one of its processes is killed: first
 * a thread pool inside one JVM, killed with everything in it; then a {@link ProcessPool} of two
 * worker JVMs, one killed mid-task, which loses that task alone and starts a new worker.
 */
public final class ProcessPoolScenario implements Scenario {

  private static final Duration WAIT = Duration.ofMinutes(5);

  /** How many slices the thread-pool JVM finishes before it is killed. */
  private static final int DONE_BEFORE_KILL = 2;

  /** A line of the thread-pool JVM: {@code slice 3 started (worker-2)}. */
  private static final Pattern STARTED_SLICE = Pattern.compile("slice (\\d+) started \\((.+)\\)");

  /** A line of the thread-pool JVM: {@code slice 3: 1229 primes (worker-2)}. */
  private static final Pattern FINISHED_SLICE =
      Pattern.compile("slice (\\d+): (\\d+) primes \\((.+)\\)");

  @Override
  public String name() {
    return "process-pool";
  }

  @Override
  public String title() {
    return "ProcessPoolExecutor: CPU work in 2 worker JVMs; one is killed mid-task: only its task fails, and the pool goes on";
  }

  @Override
  public List<ScenarioOption> options() {
    return List.of(
        ScenarioOption.integer("limit", 6_000_000, "count the primes below this number")
            .atLeast(1000),
        ScenarioOption.integer("slices", 8, "tasks: the count is split into this many slices")
            .atLeast(4));
  }

  @Override
  public ScenarioResult run(ScenarioContext context) throws Exception {
    Story story = context.story();
    int limit = context.intOption("limit");
    int slices = context.intOption("slices");
    story.section("The Python original");
    story.note("with ProcessPoolExecutor(max_workers=2) as pool:");
    story.note(
        "    futures = [pool.submit(count_primes, s, %d, %d) for s in range(%d)]",
        slices, limit, slices);
    story.note("    # kill -9 one worker process while it counts ...");
    story.note(
        "    # -> BrokenProcessPool for every future, and for every submit after it: the pool is dead.");
    story.note("    # (multiprocessing.Pool hangs instead: the killed task's result never comes.)");

    int threadsDone = withThreadsInOneJvm(context, slices, limit);
    Outcome pool = withWorkerJvms(context, story, slices, limit);

    story.section("What happened");
    story.note(
        "Threads in one JVM: %d of %d slices done when the JVM was killed; the other %d were lost with it.",
        threadsDone, slices, slices - threadsDone);
    story.note(
        "Worker JVMs: %d of %d tasks completed, %d failed with WorkerDiedException (exit code %d), %d worker restarted;",
        pool.completed, slices, pool.failed, pool.exitCode, pool.restarts);
    story.note(
        "the failed slice, submitted again, gave %d primes below %d in all (checked against a count here).",
        pool.total, limit);
    long expected = 0;
    for (int slice = 0; slice < slices; slice++) {
      expected += Primes.inRange(slice, slices, limit);
    }
    boolean ok =
        pool.failed == 1
            && pool.completed == slices - 1
            && pool.restarts == 1
            && pool.exitCode == 137
            && pool.total == expected;
    return ScenarioResult.of(ok)
        .with("processes", 2)
        .with("tasks", slices)
        .with("completed", pool.completed)
        .with("failed", pool.failed)
        .with("worker_restarts", pool.restarts)
        .with("exit_code", pool.exitCode)
        .with("primes", pool.total)
        .with("threads_jvm_done", threadsDone);
  }

  /** Shared memory: two threads of one JVM share the work, and the JVM's death ends all of it. */
  private int withThreadsInOneJvm(ScenarioContext context, int slices, int limit) throws Exception {
    Story story = context.story();
    // The threads run in the child JVM, out of the tracer's reach: each line a thread prints is
    // recorded here, for that thread, when it arrives: a slice is a holding span on its thread's
    // lane, from "started" to its count, or to the kill.
    ThreadsTrace trace = ThreadsTrace.of(context, "primes");
    Map<String, String> running = new ConcurrentHashMap<>();
    story.section("Shared memory: a ThreadPoolExecutor with 2 threads, all in one JVM");
    story.note(
        "A child JVM counts the primes in %d ranges of numbers below %,d on two threads. Once two ranges",
        slices, limit);
    story.note(
        "are done and a third has started, the JVM is killed (SIGKILL), as a crash or the OOM killer would end it.");
    AtomicInteger done = new AtomicInteger();
    CompletableFuture<Void> killNow = new CompletableFuture<>();
    try (ChildJvm jvm =
        ChildJvm.start(
            PrimeTasks.ThreadPoolJvm.class,
            List.of(
                String.valueOf(slices), String.valueOf(limit), String.valueOf(DONE_BEFORE_KILL)),
            "  [thread-pool JVM] ",
            line -> {
              story.say("%s", line);
              Matcher started = STARTED_SLICE.matcher(line);
              Matcher finished = FINISHED_SLICE.matcher(line);
              if (started.find()) {
                running.put(started.group(2), "slice " + started.group(1));
                trace.event(TraceKind.GRANTED, started.group(2), "slice " + started.group(1));
              } else if (finished.find()) {
                running.remove(finished.group(3));
                trace.event(
                    TraceKind.RELEASED,
                    finished.group(3),
                    "slice " + finished.group(1) + ": " + finished.group(2) + " primes");
              }
              if (line.contains(" primes (")) {
                done.incrementAndGet();
              }
              // Both threads may finish their first slices before either says it started the
              // next; the kill waits for a slice the parent has seen start, so it lands mid-task.
              if (done.get() >= DONE_BEFORE_KILL && !running.isEmpty()) {
                killNow.complete(null);
              }
            })) {
      killNow.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      jvm.kill(true);
      int exitCode = jvm.waitFor(WAIT); // and its last lines are in
      trace.event("killed", "", "the JVM, with every thread in it");
      running.forEach(
          (thread, slice) -> trace.event(TraceKind.REVOKED, thread, slice + " lost with the JVM"));
      story.say(
          "the JVM exited with code %d: its threads, its queue and its unfinished slices are gone; nothing restarts them",
          exitCode);
    }
    return done.get();
  }

  private static String range(int slice, int slices, int limit) {
    return String.format(
        "%,d..%,d", (long) limit * slice / slices, (long) limit * (slice + 1) / slices - 1);
  }

  private record Outcome(int completed, int failed, long restarts, int exitCode, long total) {}

  /**
   * Messages: each worker is a JVM of its own; the pool actor hands out slices and replaces a dead
   * worker.
   */
  private Outcome withWorkerJvms(ScenarioContext context, Story story, int slices, int limit)
      throws Exception {
    story.section("Messages: a ProcessPool with 2 worker JVMs");
    story.note(
        "The pool actor sends each worker JVM a batch of named tasks (\"count-primes\", slice, %d, %d) over a",
        slices, limit);
    story.note(
        "socket; each answers one result per task. The first worker to answer is killed (SIGKILL) in its next task.");
    ProcessPool.Settings settings =
        ProcessPool.Settings.of(2, PrimeTasks.class).withOutput(line -> story.say("  %s", line));
    try (ProcessPoolClient pool =
        ProcessPoolClient.start(context.kit(), "primes", settings).withTimeout(WAIT)) {
      List<TaskFuture<PrimeTasks.Counted>> futures = new ArrayList<>();
      CompletableFuture<Long> firstPid = new CompletableFuture<>();
      for (int slice = 0; slice < slices; slice++) {
        TaskFuture<PrimeTasks.Counted> future =
            pool.submit(PrimeTasks.Counted.class, "count-primes", slice, slices, limit);
        future.thenAccept(
            counted -> {
              story.say(
                  "slice %d (%s): %d primes (worker JVM pid %d)",
                  counted.slice(),
                  range(counted.slice(), slices, limit),
                  counted.primes(),
                  counted.pid());
              firstPid.complete(counted.pid());
            });
        futures.add(future);
      }
      long victim = firstPid.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      story.say(
          "kill -9 %d: the worker JVM that answered first, now in the middle of its next slice",
          victim);
      ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);

      int completed = 0;
      int failed = 0;
      int exitCode = 0;
      long total = 0;
      List<Integer> toRetry = new ArrayList<>();
      for (int slice = 0; slice < slices; slice++) {
        try {
          total += futures.get(slice).result(WAIT).primes();
          completed++;
        } catch (WorkerDiedException died) {
          failed++;
          exitCode = died.exitCode().orElse(-1);
          toRetry.add(slice);
          story.say(
              "slice %d (%s) failed: %s", slice, range(slice, slices, limit), died.getMessage());
        }
      }
      long restarts = pool.status().workerRestarts();
      story.say(
          "the pool started %d new worker JVM and is still usable: submitting the failed slice again",
          restarts);
      for (int slice : toRetry) {
        total +=
            pool.submit(PrimeTasks.Counted.class, "count-primes", slice, slices, limit)
                .result(WAIT)
                .primes();
      }
      return new Outcome(completed, failed, restarts, exitCode, total);
    }
  }
}
