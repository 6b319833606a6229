package dev.actorkit.bench.pool;

import dev.actorkit.cluster.process.ProcessPool;
import dev.actorkit.cluster.process.ProcessPoolClient;
import dev.actorkit.cluster.process.ProcessTasks;
import dev.actorkit.core.ActorKit;
import dev.actorkit.patterns.pool.TaskFuture;
import dev.actorkit.patterns.pool.WorkerPool;
import dev.actorkit.patterns.pool.WorkerPoolClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Tiny tasks through a {@link ProcessPool} of 2 worker JVMs, beside a {@link WorkerPool} of 2
 * threads and a {@code ThreadPoolExecutor} of 2 threads, in the same run: throughput (submit N
 * tasks one by one, then wait for all) and round-trip latency (submit one, wait for it, again).
 * Python's {@code ProcessPoolExecutor} does the same in {@code
 * benchmarks/python/process_pool_baseline.py}.
 *
 * <pre>
 * java -cp benchmarks/target/actorkit-benchmarks.jar dev.actorkit.bench.pool.ProcessPoolBench 20000 2000 5
 * </pre>
 *
 * Arguments: tasks per throughput round (20,000), round trips per latency round (2,000), rounds (5;
 * the first warms up). Prints each round and the medians.
 */
public final class ProcessPoolBench {

  private static final Duration LONG = Duration.ofMinutes(10);

  private ProcessPoolBench() {}

  /** The one task: x + 1. */
  public static final class Tasks implements ProcessTasks {
    @Override
    public void register(Registry tasks) {
      tasks.add("inc", args -> args.getLong(0) + 1);
    }
  }

  /** One way of running tasks: submit returns something to wait on. */
  private interface Runner {
    Object submit(long x) throws Exception;

    long await(Object submitted) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int trips = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    ExecutorService juc = Executors.newFixedThreadPool(2);
    try (ActorKit kit = ActorKit.create("process-pool-bench");
        ProcessPoolClient processes =
            ProcessPoolClient.start(kit, "processes", ProcessPool.Settings.of(2, Tasks.class))
                .withTimeout(LONG);
        WorkerPoolClient threads =
            WorkerPoolClient.start(kit, "threads", WorkerPool.Settings.blocking(2))
                .withTimeout(LONG)) {
      Runner processRunner =
          new Runner() {
            public Object submit(long x) {
              return processes.submit(Long.class, "inc", x);
            }

            public long await(Object submitted) {
              return ((TaskFuture<?>) submitted).result(LONG) instanceof Long value ? value : -1;
            }
          };
      Runner poolRunner =
          new Runner() {
            public Object submit(long x) {
              return threads.submit(() -> x + 1);
            }

            public long await(Object submitted) {
              return ((TaskFuture<?>) submitted).result(LONG) instanceof Long value ? value : -1;
            }
          };
      Runner jucRunner =
          new Runner() {
            public Object submit(long x) {
              return juc.submit(() -> x + 1);
            }

            public long await(Object submitted) throws Exception {
              return ((Future<?>) submitted).get() instanceof Long value ? value : -1;
            }
          };
      List<double[]> results = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        double[] r = {
          throughput(processRunner, tasks), throughput(poolRunner, tasks),
              throughput(jucRunner, tasks),
          latencyMicros(processRunner, trips), latencyMicros(poolRunner, trips),
              latencyMicros(jucRunner, trips)
        };
        System.out.printf(
            "round %d: tasks/s process pool %.0f, WorkerPool %.0f, ThreadPoolExecutor %.0f;"
                + " round trip µs process pool %.1f, WorkerPool %.1f, ThreadPoolExecutor %.1f%n",
            round, r[0], r[1], r[2], r[3], r[4], r[5]);
        if (round > 0 || rounds == 1) {
          results.add(r);
        }
      }
      IntFunction<Double> median =
          column -> {
            double[] values = results.stream().mapToDouble(r -> r[column]).sorted().toArray();
            return values[values.length / 2];
          };
      System.out.printf(
          "median tasks/s: process pool %.0f, WorkerPool %.0f (%.2fx the process pool), ThreadPoolExecutor %.0f%n",
          median.apply(0), median.apply(1), median.apply(1) / median.apply(0), median.apply(2));
      System.out.printf(
          "median round trip: process pool %.1f µs, WorkerPool %.1f µs, ThreadPoolExecutor %.1f µs%n",
          median.apply(3), median.apply(4), median.apply(5));
    } finally {
      juc.shutdownNow();
    }
  }

  private static double throughput(Runner runner, int tasks) throws Exception {
    long start = System.nanoTime();
    List<Object> submitted = new ArrayList<>(tasks);
    for (int i = 0; i < tasks; i++) {
      submitted.add(runner.submit(i));
    }
    long sum = 0;
    for (Object each : submitted) {
      sum += runner.await(each);
    }
    if (sum != (long) tasks * (tasks + 1) / 2) {
      throw new IllegalStateException("wrong results: " + sum);
    }
    return tasks / ((System.nanoTime() - start) / 1e9);
  }

  private static double latencyMicros(Runner runner, int trips) throws Exception {
    long start = System.nanoTime();
    for (int i = 0; i < trips; i++) {
      if (runner.await(runner.submit(i)) != i + 1) {
        throw new IllegalStateException("wrong result");
      }
    }
    return (System.nanoTime() - start) / 1e3 / trips;
  }
}
