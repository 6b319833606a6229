package dev.actorkit.demos.scenarios;

import dev.actorkit.demos.Scenario;
import dev.actorkit.demos.ScenarioContext;
import dev.actorkit.demos.ScenarioOption;
import dev.actorkit.demos.ScenarioResult;
import dev.actorkit.demos.Story;
import dev.actorkit.patterns.pool.WorkerPool;
import dev.actorkit.patterns.pool.WorkerPoolClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * CPU-bound work on the compute dispatcher uses every core: the same prime count with one worker
 * and with one worker per core. Python needs processes for this; the JVM does not.
 */
public final class CpuParallelScenario implements Scenario {

  @Override
  public String name() {
    return "cpu-parallel";
  }

  @Override
  public String title() {
    return "CPU-bound work on the compute dispatcher: one worker, then one per core (no GIL)";
  }

  @Override
  public List<ScenarioOption> options() {
    return List.of(
        ScenarioOption.integer("limit", 3_000_000, "count the primes below this number")
            .atLeast(1000),
        ScenarioOption.integer(
                "workers",
                Runtime.getRuntime().availableProcessors(),
                "workers in the parallel run")
            .atLeast(1));
  }

  @Override
  public ScenarioResult run(ScenarioContext context) {
    Story story = context.story();
    int limit = context.intOption("limit");
    int workers = context.intOption("workers");
    story.note(
        "Counting primes is pure CPU work: --speed does not shorten it, and times below are real.");
    story.note(
        "In Python, threads would take turns holding the GIL, so a ThreadPoolExecutor would be no");
    story.note(
        "faster than one thread; Python needs ProcessPoolExecutor and pickling for this. JVM threads");
    story.note(
        "run Java code on every core at once, so one worker per core on the compute dispatcher is enough.");

    count(context, limit, 1); // warm the JIT up, so the two timed runs compare the same code
    story.section("One worker");
    long oneStart = System.nanoTime();
    long primesOne = count(context, limit, 1);
    long oneMs = (System.nanoTime() - oneStart) / 1_000_000;
    story.say("%d primes below %d in %d ms (real)", primesOne, limit, oneMs);

    story.section(workers + " workers, one per core");
    long manyStart = System.nanoTime();
    long primesMany = count(context, limit, workers);
    long manyMs = (System.nanoTime() - manyStart) / 1_000_000;
    double speedup = manyMs == 0 ? 0 : (double) oneMs / manyMs;
    story.say(
        "%d primes below %d in %d ms (real): %.2fx faster", primesMany, limit, manyMs, speedup);
    story.note("The speed-up is at most the number of free cores; a busy machine shows less.");

    return ScenarioResult.of(primesOne == primesMany && primesOne > 0)
        .with("workers", workers)
        .with("primes", primesMany)
        .with("one_worker_ms", oneMs)
        .with("parallel_ms", manyMs)
        .with("speedup", Math.round(speedup * 100) / 100.0);
  }

  private static long count(ScenarioContext context, int limit, int workers) {
    String name = "primes-" + workers + "-" + System.nanoTime();
    try (WorkerPoolClient pool =
        WorkerPoolClient.start(context.kit(), name, WorkerPool.Settings.compute(workers))) {
      int slices = workers * 8;
      List<Integer> starts = new ArrayList<>();
      for (int slice = 0; slice < slices; slice++) {
        starts.add(slice);
      }
      Iterator<Long> counts =
          pool.map(slice -> Primes.inSlice(slice, slices, limit), starts, Duration.ofHours(1), 1);
      long total = 0;
      while (counts.hasNext()) {
        total += counts.next();
      }
      return total;
    }
  }
}
