package dev.actorkit.bench.pool;

import dev.actorkit.core.ActorKit;
import dev.actorkit.patterns.pool.TaskFuture;
import dev.actorkit.patterns.pool.WorkerPool;
import dev.actorkit.patterns.pool.WorkerPoolClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Tiny tasks submitted 10,000 at a time and all completed: the actor pool (batch submit, and one
 * submit per task) against {@code ThreadPoolExecutor(4)} and {@code supplyAsync} on a dedicated
 * {@code ForkJoinPool(2)}. Never the common pool: on 2 cores its parallelism is 1 and {@code
 * CompletableFuture}'s default async methods then start a thread per task.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TinyTasksBenchmark {

  static final int BATCH = 10_000;
  private static final Duration WAIT = Duration.ofSeconds(60);

  private ActorKit kit;
  private WorkerPoolClient blockingPool;
  private WorkerPoolClient computePool;
  private ExecutorService threadPool;
  private ForkJoinPool forkJoin;
  private List<Callable<Integer>> tasks;
  private List<Integer> items;

  @Setup(Level.Trial)
  public void start() {
    kit = ActorKit.create("tinytasks");
    blockingPool =
        WorkerPoolClient.start(kit, "blocking4", WorkerPool.Settings.blocking(4)).withTimeout(WAIT);
    computePool =
        WorkerPoolClient.start(kit, "compute2", WorkerPool.Settings.compute(2)).withTimeout(WAIT);
    threadPool = new ThreadPoolExecutor(4, 4, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    forkJoin = new ForkJoinPool(2);
    Callable<Integer> tiny = () -> 1;
    tasks = Collections.nCopies(BATCH, tiny);
    items = Collections.nCopies(BATCH, 1);
  }

  @TearDown(Level.Trial)
  public void stop() {
    blockingPool.close();
    computePool.close();
    kit.close();
    threadPool.shutdown();
    forkJoin.shutdown();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int actorPoolBlocking4SubmitAll() {
    return sum(blockingPool.submitAll(tasks));
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int actorPoolCompute2SubmitAll() {
    return sum(computePool.submitAll(tasks));
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int actorPoolBlocking4SubmitEach() {
    List<TaskFuture<Integer>> futures = new ArrayList<>(BATCH);
    for (Callable<Integer> task : tasks) {
      futures.add(blockingPool.submit(task));
    }
    return sum(futures);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int actorPoolCompute2MapChunk100() {
    int total = 0;
    Iterator<Integer> results = computePool.map(n -> n, items, WAIT, 100);
    while (results.hasNext()) {
      total += results.next();
    }
    return total;
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int threadPoolExecutor4() throws Exception {
    List<Future<Integer>> futures = new ArrayList<>(BATCH);
    for (Callable<Integer> task : tasks) {
      futures.add(threadPool.submit(task));
    }
    int total = 0;
    for (Future<Integer> future : futures) {
      total += future.get();
    }
    return total;
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int supplyAsyncOnForkJoinPool2() {
    Supplier<Integer> tiny = () -> 1;
    List<CompletableFuture<Integer>> futures = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      futures.add(CompletableFuture.supplyAsync(tiny, forkJoin));
    }
    int total = 0;
    for (CompletableFuture<Integer> future : futures) {
      total += future.join();
    }
    return total;
  }

  private static int sum(List<TaskFuture<Integer>> futures) {
    int total = 0;
    for (TaskFuture<Integer> future : futures) {
      total += future.join();
    }
    return total;
  }
}
