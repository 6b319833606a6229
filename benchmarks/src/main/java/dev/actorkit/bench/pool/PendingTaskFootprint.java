package dev.actorkit.bench.pool;

import dev.actorkit.core.ActorKit;
import dev.actorkit.patterns.pool.TaskFuture;
import dev.actorkit.patterns.pool.WorkerPool;
import dev.actorkit.patterns.pool.WorkerPoolClient;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * Heap per pending task: one worker is held on a latch while 200,000 tasks wait in the queue; the
 * used heap after full collections, before and after, divided by the count. The task is a lambda
 * that captures nothing (one shared instance), so the figure is the pool's own cost: the
 * TaskFuture, its slot in the coordinator's queue, and the submit message.
 *
 * <p>Run: {@code java -cp benchmarks/target/actorkit-benchmarks.jar
 * dev.actorkit.bench.pool.PendingTaskFootprint}
 */
public final class PendingTaskFootprint {

  private static final int TASKS = 200_000;

  private PendingTaskFootprint() {}

  public static void main(String[] args) throws Exception {
    try (ActorKit kit = ActorKit.create("footprint")) {
      WorkerPoolClient pool = WorkerPoolClient.start(kit, "held", WorkerPool.Settings.blocking(1));
      CountDownLatch release = new CountDownLatch(1);
      TaskFuture<Integer> blocker =
          pool.submit(
              () -> {
                release.await();
                return 0;
              });
      Callable<Integer> tiny = () -> 1;
      List<TaskFuture<Integer>> futures = new ArrayList<>(TASKS);
      long before = usedHeapAfterGc();
      for (int i = 0; i < TASKS; i++) {
        futures.add(pool.submit(tiny));
      }
      int queued = 0;
      for (int look = 0; look < 1000 && queued < TASKS; look++) {
        queued = pool.status().queued();
      }
      long after = usedHeapAfterGc();
      // The list holding the futures is the benchmark's, not the pool's: 4 bytes a reference.
      double perTask = (after - before - 4.0 * TASKS) / TASKS;
      System.out.printf(
          "pending tasks queued: %d%nheap per pending task: %.0f bytes (TaskFuture + queue slot + message)%n",
          queued, perTask);
      release.countDown();
      blocker.join();
      futures.forEach(TaskFuture::join);
      pool.close();
    }
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 5; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
