package dev.actorkit.bench.floor;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;
import dev.actorkit.cluster.ClusterNode;
import dev.actorkit.core.ActorKit;
import dev.actorkit.patterns.buffer.BoundedBuffer;
import dev.actorkit.patterns.buffer.BufferClient;
import dev.actorkit.patterns.mutex.Mutex;
import dev.actorkit.patterns.mutex.MutexClient;
import dev.actorkit.patterns.pool.WorkerPool;
import dev.actorkit.patterns.pool.WorkerPoolClient;
import dev.actorkit.patterns.semaphore.Semaphore;
import dev.actorkit.patterns.semaphore.SemaphoreClient;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What a kit with nothing to do costs in CPU: the JVM's process CPU time over a quiet window, as a
 * share of one core, in one run, for
 *
 * <ul>
 *   <li>a plain Akka actor system with one idle actor (the floor);
 *   <li>a kit with a mutex, a semaphore, a buffer and two worker pools (blocking and compute),
 *       after each pool ran a task;
 *   <li>a single-node clustered kit (Artery, gossip, the failure detector's heartbeats).
 * </ul>
 *
 * <p>Each is started, used once, left alone for a second, then measured over the window; the JVM's
 * own background work (the JIT, the collector) is in every row, so compare the rows.
 *
 * <pre>
 * java -cp benchmarks/target/actorkit-benchmarks.jar dev.actorkit.bench.floor.IdleCpu [seconds]
 * </pre>
 */
public final class IdleCpu {

  private IdleCpu() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    ActorSystem<Void> plain =
        ActorSystem.create(
            Behaviors.empty(), "plain", ConfigFactory.parseString("akka.loglevel = ERROR"));
    report("plain Akka actor system", seconds);
    plain.terminate();
    plain.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);

    try (ActorKit kit = ActorKit.create("idle")) {
      MutexClient.create(kit, "till", Mutex.Settings.defaults()).acquire().close();
      SemaphoreClient.create(kit, "room", Semaphore.Settings.bounded(2)).acquire().close();
      BufferClient.<String>create(kit, "basket", BoundedBuffer.Settings.of(5)).put("bun");
      for (WorkerPool.Settings settings :
          new WorkerPool.Settings[] {
            WorkerPool.Settings.blocking(4), WorkerPool.Settings.compute(2)
          }) {
        WorkerPoolClient pool =
            WorkerPoolClient.create(kit, "pool-" + settings.dispatcher(), settings);
        pool.submit(() -> 1).result(Duration.ofSeconds(10));
      }
      report("kit: mutex, semaphore, buffer, two pools", seconds);
    }

    try (ActorKit node =
        ClusterNode.startFirst(
            ConfigFactory.parseString("akka.loglevel = ERROR").withFallback(ClusterNode.port(0)))) {
      report("single-node clustered kit", seconds);
    }
    System.exit(0);
  }

  private static void report(String what, int seconds) throws InterruptedException {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    TimeUnit.SECONDS.sleep(1); // let start-up work settle
    long cpuBefore = os.getProcessCpuTime();
    long wallBefore = System.nanoTime();
    TimeUnit.SECONDS.sleep(seconds);
    double cpu = os.getProcessCpuTime() - cpuBefore;
    double wall = System.nanoTime() - wallBefore;
    System.out.printf(
        Locale.ROOT, "%-44s %5.2f %% of one core while idle%n", what, 100 * cpu / wall);
  }
}
