package dev.actorkit.bench.semaphore;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.SpawnProtocol;
import dev.actorkit.bench.BenchSystems;
import dev.actorkit.bench.GrantLoop;
import dev.actorkit.patterns.semaphore.ReadWriteLock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
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
 * Grants per second on a read-mostly lock: 6 readers and 1 writer, each taking its lock, giving it
 * back at once (a tell, no reply awaited) and taking it again. The {@link ReadWriteLock} actor with
 * 7 client actors, beside {@link ReentrantReadWriteLock} (fair and unfair) with 7 threads. The
 * raw-Akka floor for the same request-reply-plus-tell is {@link
 * SemaphoreBenchmark#floorSevenClientsOneActor} (run both to compare).
 *
 * <pre>
 * java -jar benchmarks/target/actorkit-benchmarks.jar 'dev.actorkit.bench.semaphore' -f 1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ReadWriteLockBenchmark {

  static final int READERS = 6;
  static final int WRITERS = 1;
  static final int CLIENTS = READERS + WRITERS;
  static final int GRANTS_PER_CLIENT = 20_000;
  static final int GRANTS = CLIENTS * GRANTS_PER_CLIENT;

  /** Long enough never to run out: the benchmark measures grants, not timeouts. */
  private static final Duration WAIT = Duration.ofMinutes(5);

  @Param({"coordination"})
  public String dispatcher;

  private ActorSystem<SpawnProtocol.Command> system;
  private final List<ActorRef<Object>> clients = new ArrayList<>();
  private ExecutorService threads;
  private ReentrantReadWriteLock fair;
  private ReentrantReadWriteLock unfair;

  /**
   * A reader or the writer: acquire its side, on the grant release it (answer ignored) and acquire
   * again.
   */
  private static Behavior<Object> client(ActorRef<ReadWriteLock.Command> lock, boolean writer) {
    return GrantLoop.create(
        lock,
        context ->
            writer
                ? new ReadWriteLock.AcquireWrite(
                    WAIT, context.getSelf(), context.getSelf().narrow())
                : new ReadWriteLock.AcquireRead(
                    WAIT, context.getSelf(), context.getSelf().narrow()),
        context -> {
          ActorRef<ReadWriteLock.Reply> ignore = context.getSystem().ignoreRef();
          ReadWriteLock.Command release =
              writer
                  ? new ReadWriteLock.ReleaseWrite(context.getSelf(), ignore)
                  : new ReadWriteLock.ReleaseRead(context.getSelf(), ignore);
          return granted -> release;
        },
        reply ->
            reply instanceof ReadWriteLock.ReadGranted
                || reply instanceof ReadWriteLock.WriteGranted);
  }

  @Setup(Level.Trial)
  public void start() {
    system = BenchSystems.start("rwlock");
    ActorRef<ReadWriteLock.Command> lock =
        BenchSystems.spawn(
            system, ReadWriteLock.create(), "lock", BenchSystems.dispatcher(dispatcher));
    for (int i = 0; i < CLIENTS; i++) {
      boolean writer = i < WRITERS;
      clients.add(
          BenchSystems.spawn(
              system, client(lock, writer), "client-" + i, BenchSystems.dispatcher(dispatcher)));
    }
    threads = Executors.newFixedThreadPool(CLIENTS);
    fair = new ReentrantReadWriteLock(true);
    unfair = new ReentrantReadWriteLock(false);
  }

  @TearDown(Level.Trial)
  public void stop() {
    threads.shutdownNow();
    BenchSystems.stop(system);
    clients.clear();
  }

  @Benchmark
  @OperationsPerInvocation(GRANTS)
  public void actorReadWriteLock() throws InterruptedException {
    GrantLoop.runAll(clients, GRANTS_PER_CLIENT);
  }

  @Benchmark
  @OperationsPerInvocation(GRANTS)
  public void jucReentrantReadWriteLockFair() throws InterruptedException {
    runThreads(fair);
  }

  @Benchmark
  @OperationsPerInvocation(GRANTS)
  public void jucReentrantReadWriteLockUnfair() throws InterruptedException {
    runThreads(unfair);
  }

  private void runThreads(ReentrantReadWriteLock lock) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(CLIENTS);
    for (int i = 0; i < CLIENTS; i++) {
      Lock side = i < WRITERS ? lock.writeLock() : lock.readLock();
      threads.execute(
          () -> {
            try {
              for (int g = 0; g < GRANTS_PER_CLIENT; g++) {
                side.lock();
                side.unlock();
              }
            } finally {
              done.countDown();
            }
          });
    }
    GrantLoop.await(done);
  }
}
