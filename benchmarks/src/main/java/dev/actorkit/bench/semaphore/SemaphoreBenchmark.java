package dev.actorkit.bench.semaphore;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.SpawnProtocol;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import dev.actorkit.bench.BenchSystems;
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
 * Grants per second with 7 clients on 2 permits, the room: the {@link Semaphore} actor
 * with 7 client actors, beside {@code java.util.concurrent.Semaphore} (fair and unfair) with 7
 * threads, and the raw-Akka floor: the same 7 actors doing the same request-reply-plus-tell
 * with an actor that only echoes (no semaphore logic). Each client acquires, releases at once
 * (a tell, no reply) and acquires again; one operation is one grant.
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

  @Param({"coordination"})
  public String dispatcher;

  /** The room has 2; {@code -p permits=7} lets every client in at once, to see the semaphore's own cost. */
  @Param({"2"})
  public int permits;

  private ActorSystem<SpawnProtocol.Command> system;
  private final List<ActorRef<Object>> semaphoreClients = new ArrayList<>();
  private final List<ActorRef<Object>> floorClients = new ArrayList<>();
  private ExecutorService threads;
  private java.util.concurrent.Semaphore fair;
  private java.util.concurrent.Semaphore unfair;

  /** Do {@code grants} grants, then count the latch down. */
  public record Run(int grants, CountDownLatch done) {}

  /** The floor's request and its answer: the shapes of Acquire/Granted and Release without the logic. */
  record Ask(ActorRef<Object> replyTo) {}

  record Tell() {}

  enum Answer {
    INSTANCE
  }

  private static Behavior<Object> echo() {
    return Behaviors.receive(Object.class)
        .onMessage(Ask.class, ask -> answer(ask))
        .onMessage(Tell.class, tell -> Behaviors.same())
        .build();
  }

  private static Behavior<Object> answer(Ask ask) {
    ask.replyTo().tell(Answer.INSTANCE);
    return Behaviors.same();
  }

  /** A client of the semaphore: acquire, on Granted release (a tell to ignoreRef's care) and acquire again. */
  private static final class SemaphoreClient extends AbstractBehavior<Object> {
    private final ActorRef<Semaphore.Command> semaphore;
    private final ActorRef<Semaphore.Reply> self;
    private final ActorRef<Semaphore.Reply> ignore;
    private final Semaphore.Acquire acquire;
    private final Semaphore.Release release;
    private int remaining;
    private CountDownLatch done;

    private SemaphoreClient(ActorContext<Object> context, ActorRef<Semaphore.Command> semaphore) {
      super(context);
      this.semaphore = semaphore;
      this.self = context.getSelf().narrow();
      this.ignore = context.getSystem().ignoreRef();
      // Messages are immutable, so the client reuses its two requests: the measured path allocates only the replies.
      this.acquire = new Semaphore.Acquire(1, context.getSelf(), self);
      this.release = new Semaphore.Release(1, context.getSelf(), ignore);
    }

    @Override
    public Receive<Object> createReceive() {
      return newReceiveBuilder()
          .onMessage(Run.class, this::onRun)
          .onMessage(Semaphore.Granted.class, this::onGranted)
          .build();
    }

    private Behavior<Object> onRun(Run run) {
      remaining = run.grants();
      done = run.done();
      semaphore.tell(acquire);
      return this;
    }

    private Behavior<Object> onGranted(Semaphore.Granted granted) {
      semaphore.tell(release);
      if (--remaining == 0) {
        done.countDown();
      } else {
        semaphore.tell(acquire);
      }
      return this;
    }
  }

  /** The same client against the echo actor. */
  private static final class FloorClient extends AbstractBehavior<Object> {
    private final ActorRef<Object> echo;
    private final Ask ask;
    private final Tell tell = new Tell();
    private int remaining;
    private CountDownLatch done;

    private FloorClient(ActorContext<Object> context, ActorRef<Object> echo) {
      super(context);
      this.echo = echo;
      this.ask = new Ask(context.getSelf());
    }

    @Override
    public Receive<Object> createReceive() {
      return newReceiveBuilder()
          .onMessage(Run.class, this::onRun)
          .onMessageEquals(Answer.INSTANCE, this::onAnswer)
          .build();
    }

    private Behavior<Object> onRun(Run run) {
      remaining = run.grants();
      done = run.done();
      echo.tell(ask);
      return this;
    }

    private Behavior<Object> onAnswer() {
      echo.tell(tell);
      if (--remaining == 0) {
        done.countDown();
      } else {
        echo.tell(ask);
      }
      return this;
    }
  }

  @Setup(Level.Trial)
  public void start() {
    system = BenchSystems.start("semaphore");
    ActorRef<Semaphore.Command> semaphore =
        BenchSystems.spawn(system, Semaphore.create(Semaphore.Settings.bounded(permits)), "room", BenchSystems.dispatcher(dispatcher));
    ActorRef<Object> echo = BenchSystems.spawn(system, echo(), "echo", BenchSystems.dispatcher(dispatcher));
    for (int i = 0; i < CLIENTS; i++) {
      semaphoreClients.add(BenchSystems.spawn(system,
          Behaviors.<Object>setup(context -> new SemaphoreClient(context, semaphore)), "client-" + i, BenchSystems.dispatcher(dispatcher)));
      floorClients.add(BenchSystems.spawn(system,
          Behaviors.<Object>setup(context -> new FloorClient(context, echo)), "floor-client-" + i, BenchSystems.dispatcher(dispatcher)));
    }
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
  }

  @Benchmark
  @OperationsPerInvocation(GRANTS)
  public void actorSemaphore() throws InterruptedException {
    runActors(semaphoreClients);
  }

  @Benchmark
  @OperationsPerInvocation(GRANTS)
  public void floorSevenClientsOneActor() throws InterruptedException {
    runActors(floorClients);
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

  private static void runActors(List<ActorRef<Object>> clients) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(CLIENTS);
    for (ActorRef<Object> client : clients) {
      client.tell(new Run(GRANTS_PER_CLIENT, done));
    }
    await(done);
  }

  private void runThreads(java.util.concurrent.Semaphore semaphore) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(CLIENTS);
    for (int i = 0; i < CLIENTS; i++) {
      threads.execute(() -> {
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
    await(done);
  }

  private static void await(CountDownLatch done) throws InterruptedException {
    if (!done.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the clients did not finish");
    }
  }
}
