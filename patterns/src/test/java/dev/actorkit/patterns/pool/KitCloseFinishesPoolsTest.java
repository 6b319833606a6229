package dev.actorkit.patterns.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.actorkit.core.ActorKit;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class KitCloseFinishesPoolsTest {

  private static Set<Thread> threadsOf(String systemName) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith(systemName + "-"))
        .collect(Collectors.toSet());
  }

  @Test
  void closingTheKitFinishesQueuedTasksLikePythonAtExit() {
    ActorKit kit = ActorKit.create("PoolAtExit");
    WorkerPoolClient pool = WorkerPoolClient.start(kit, "busy", WorkerPool.Settings.blocking(2));
    List<TaskFuture<Integer>> futures =
        IntStream.range(0, 200).mapToObj(i -> pool.submit(() -> i)).toList();
    kit.close();
    assertThat(futures).allMatch(future -> future.isDone() && !future.isCompletedExceptionally());
  }

  @Test
  void noThreadOfTheKitOutlivesItsClose() throws InterruptedException {
    String name = "PoolThreads";
    ActorKit kit = ActorKit.create(name);
    try (WorkerPoolClient blocking =
            WorkerPoolClient.start(kit, "io", WorkerPool.Settings.blocking(4));
        WorkerPoolClient compute =
            WorkerPoolClient.start(kit, "cpu", WorkerPool.Settings.compute(2))) {
      IntStream.range(0, 100).forEach(i -> blocking.submit(() -> i));
      compute.submit(() -> 1).result(Duration.ofSeconds(30));
      assertThat(threadsOf(name)).isNotEmpty();
    }
    kit.close();
    // Dispatcher threads end just after the system terminates; join each, bounded.
    for (Thread thread : threadsOf(name)) {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    }
    assertThat(threadsOf(name)).isEmpty();
  }
}
