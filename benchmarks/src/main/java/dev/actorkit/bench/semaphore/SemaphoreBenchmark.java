package dev.actorkit.bench.semaphore;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.SpawnProtocol;
import dev.actorkit.bench.BenchSystems;
import dev.actorkit.bench.EchoFloor;
import dev.actorkit.bench.GrantLoop;
import dev.actorkit.bench.HandoffFloor;
import dev.actorkit.patterns.semaphore.Semaphore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Grants per second with 7 clients on 2 permits, the room: the {@link Semaphore} actor with
 * 7 client actors, beside {@code java.util.concurrent.Semaphore} (fair and unfair) with 7 threads,
 * and the raw-Akka floor: the same 7 actors doing the same request-reply-plus-tell with an actor
 * that only echoes (no semaphore logic), and through {@link HandoffFloor} (a count of permits and a
 * queue, the least a semaphore actor could do). Each client acquires, releases at once (a tell, no
 * reply) and acquires again; one operation is one grant.
 *
 * <pre>
 * java -jar benchmarks/target/actorkit-benchmarks.jar 'dev.actorkit.bench.(semaphore|floor.PingPong)' -f 1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SemaphoreBenchmark {

  static final int CLIENTS = 7;
  static final int GRANTS_PER_CLIENT = 20_000;
  static final int GRANTS = CLIENTS * GRANTS_PER_CLIENT;

  @Param({"forkjoin", "percore", "coordination"})
  public String dispatcher;

  /**
   * The room has 2; {@code -p permits=7} lets every client in at once, to see the
   * semaphore's own cost.
   */
  @Param({"2"})
  public int permits;

  private ActorSystem<SpawnProtocol.Command> system;
  private final List<ActorRef<Object>> semaphoreClients = new ArrayList<>();
  private final List<ActorRef<Object>> floorClients = new ArrayList<>();
  private final List<ActorRef<Object>> handoffClients = new ArrayList<>();
  private ExecutorService threads;
  private java.util.concurrent.Semaphore fair;
  private java.util.concurrent.Semaphore unfair;

  /**
   * A client of the semaphore: acquire one permit, on Granted release it (answer ignored) and
   * acquire again.
   */
  private static Behavior<Object> semaphoreClient(ActorRef<Semaphore.Command> semaphore) {
    return GrantLoop.create(
        semaphore,
        context -> new Semaphore.Acquire(1, context.getSelf(), context.getSelf().narrow()),
        context -> {
          Semaphore.Release release =
              new Semaphore.Release(1, context.getSelf(), context.getSystem().ignoreRef());
          return granted -> release;
        },
        reply -> reply instanceof Semaphore.Granted);
  }

  @Setup(Level.Trial)
  public void start() {
    system = BenchSystems.start("semaphore");
    ActorRef<Semaphore.Command> semaphore =
        BenchSystems.spawn(
            system,
            Semaphore.create(Semaphore.Settings.bounded(permits)),
            "room",
            BenchSystems.dispatcher(dispatcher));
    for (int i = 0; i < CLIENTS; i++) {
      semaphoreClients.add(
          BenchSystems.spawn(
              system,
              semaphoreClient(semaphore),
              "client-" + i,
              BenchSystems.dispatcher(dispatcher)));
    }
    floorClients.addAll(EchoFloor.spawn(system, CLIENTS, BenchSystems.dispatcher(dispatcher)));
    handoffClients.addAll(
        HandoffFloor.spawn(system, permits, CLIENTS, BenchSystems.dispatcher(dispatcher)));
    threads = Executors.newFixedThreadPool(CLIENTS);
    fair = new java.util.concurrent.Semaphore(permits, true);
    unfair = new java.util.concurrent.Semaphore(permits, false);
  }

  @TearDown(Level.Trial)
  public void stop() {
    threads.shutdownNow();
    BenchSystems.stop(system);
    semaphoreClients.clear();
    floorClients.clear();
    handoffClients.clear();
  }

  @Benchmark
  @OperationsPerInvocation(GRANTS)
  public void actorSemaphore() throws InterruptedException {
    GrantLoop.runAll(semaphoreClients, GRANTS_PER_CLIENT);
  }

  @Benchmark
  @OperationsPerInvocation(GRANTS)
  public void floorSevenClientsOneActor() throws InterruptedException {
    GrantLoop.runAll(floorClients, GRANTS_PER_CLIENT);
  }

  /**
   * The least any semaphore actor could do with the same clients and permits ({@link
   * HandoffFloor}): a count and a queue, nothing checked or recorded.
   */
  @Benchmark
  @OperationsPerInvocation(GRANTS)
  public void floorHandoff() throws InterruptedException {
    GrantLoop.runAll(handoffClients, GRANTS_PER_CLIENT);
  }

  @Benchmark
  @OperationsPerInvocation(GRANTS)
  public void jucSemaphoreFair() throws InterruptedException {
    runThreads(fair);
  }

  @Benchmark
  @OperationsPerInvocation(GRANTS)
  public void jucSemaphoreUnfair() throws InterruptedException {
    runThreads(unfair);
  }

  private void runThreads(java.util.concurrent.Semaphore semaphore) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(CLIENTS);
    for (int i = 0; i < CLIENTS; i++) {
      threads.execute(
          () -> {
            try {
              for (int g = 0; g < GRANTS_PER_CLIENT; g++) {
                semaphore.acquire();
                semaphore.release();
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } finally {
              done.countDown();
            }
          });
    }
    GrantLoop.await(done);
  }
}
