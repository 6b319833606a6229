package dev.actorkit.bench.mutex;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.SpawnProtocol;
import dev.actorkit.bench.BenchSystems;
import dev.actorkit.bench.EchoFloor;
import dev.actorkit.bench.GrantLoop;
import dev.actorkit.bench.HandoffFloor;
import dev.actorkit.patterns.mutex.Mutex;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
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
import org.openjdk.jmh.annotations.Threads;

/**
 * Grants per second: a {@link Mutex} acquired and released by one client actor (uncontended) and by
 * four client actors at once (contended), beside {@code ReentrantLock} (fair and unfair) locked and
 * unlocked by one and by four threads, and the raw-Akka floor of the contended case ({@link
 * EchoFloor}: the same four clients, the same three messages per grant, an actor that only echoes;
 * and {@link HandoffFloor}: the same, through an actor that only counts a permit and queues). A
 * grant is one round trip (Acquire, Granted) plus a one-way Release, so {@code
 * dev.actorkit.bench.floor.PingPong}'s round trip, two messages, is a floor it cannot reach.
 *
 * <p>Client actors send Release and the next Acquire back to back without waiting for Released (the
 * mutex handles them in order), and reuse one Acquire message, so a grant allocates only the
 * Granted, Release and Released records. No deadlock detector, no lease, no timeouts: the plain
 * lock's path.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MutexBenchmark {

  /** The coordination dispatcher as configured, or one it replaced (BenchSystems names them). */
  @Param({"forkjoin", "percore", "coordination"})
  public String dispatcher;

  static final int GRANTS = 200_000;
  public static final int CLIENTS = 4;

  private ActorSystem<SpawnProtocol.Command> system;
  private ActorRef<Mutex.Command> mutex;
  private final List<ActorRef<Object>> clients = new ArrayList<>();
  private final List<ActorRef<Object>> floorClients = new ArrayList<>();
  private final List<ActorRef<Object>> handoffClients = new ArrayList<>();
  private final ReentrantLock unfair = new ReentrantLock(false);
  private final ReentrantLock fair = new ReentrantLock(true);
  private long guarded;

  /**
   * A client actor: acquire, on Granted release with the grant's token and acquire again; Released
   * is ignored.
   */
  public static Behavior<Object> client(ActorRef<Mutex.Command> mutex) {
    return GrantLoop.create(
        mutex,
        context -> new Mutex.Acquire(context.getSelf(), context.getSelf().narrow()),
        context -> {
          ActorRef<Mutex.Reply> ignore = context.getSystem().ignoreRef();
          return granted ->
              new Mutex.Release(context.getSelf(), ((Mutex.Granted) granted).token(), ignore);
        },
        reply -> reply instanceof Mutex.Granted);
  }

  @Setup(Level.Trial)
  public void start() {
    system = BenchSystems.start("mutex");
    mutex =
        BenchSystems.spawn(
            system,
            Mutex.create(Mutex.Settings.defaults()),
            "mutex",
            BenchSystems.dispatcher(dispatcher));
    for (int i = 0; i < CLIENTS; i++) {
      clients.add(
          BenchSystems.spawn(
              system, client(mutex), "client-" + i, BenchSystems.dispatcher(dispatcher)));
    }
    floorClients.addAll(EchoFloor.spawn(system, CLIENTS, BenchSystems.dispatcher(dispatcher)));
    handoffClients.addAll(
        HandoffFloor.spawn(system, 1, CLIENTS, BenchSystems.dispatcher(dispatcher)));
  }

  @TearDown(Level.Trial)
  public void stop() {
    BenchSystems.stop(system);
    clients.clear();
    floorClients.clear();
    handoffClients.clear();
  }

  private void drive(int clientCount) throws InterruptedException {
    GrantLoop.runAll(clients.subList(0, clientCount), GRANTS / clientCount);
  }

  /** One client actor: every grant finds the lock free. */
  @Benchmark
  @OperationsPerInvocation(GRANTS)
  public void mutexUncontended() throws InterruptedException {
    drive(1);
  }

  /** Four client actors: each grant hands the lock from one queued client to the next. */
  @Benchmark
  @OperationsPerInvocation(GRANTS)
  public void mutexContended4() throws InterruptedException {
    drive(CLIENTS);
  }

  /**
   * The raw-Akka floor of {@link #mutexContended4}: the same four client actors doing the same ask,
   * answer and tell with an actor that only echoes (no lock, nobody waits).
   */
  @Benchmark
  @OperationsPerInvocation(GRANTS)
  public void floorFourClientsOneActor() throws InterruptedException {
    GrantLoop.runAll(floorClients, GRANTS / CLIENTS);
  }

  /**
   * The least any lock actor could do with the same four clients ({@link HandoffFloor}): three wait
   * while the holder makes its round trip, as with the mutex, but nothing is checked or recorded.
   */
  @Benchmark
  @OperationsPerInvocation(GRANTS)
  public void floorHandoff() throws InterruptedException {
    GrantLoop.runAll(handoffClients, GRANTS / CLIENTS);
  }

  @Benchmark
  @Threads(1)
  public long reentrantLockUnfairUncontended() {
    return lockUnlock(unfair);
  }

  @Benchmark
  @Threads(4)
  public long reentrantLockUnfairContended4() {
    return lockUnlock(unfair);
  }

  @Benchmark
  @Threads(4)
  public long reentrantLockFairContended4() {
    return lockUnlock(fair);
  }

  private long lockUnlock(ReentrantLock lock) {
    lock.lock();
    try {
      return ++guarded;
    } finally {
      lock.unlock();
    }
  }
}
