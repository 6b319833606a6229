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
import dev.actorkit.patterns.semaphore.SemaphoreState;
import dev.actorkit.patterns.semaphore.WaitQueue;
import java.util.concurrent.CountDownLatch;
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
 * Cost of one grant with {@code waiters} requests queued behind a one-permit semaphore: it must not
 * grow with the queue (the issue asks for 100 against 100,000). The queue is kept at a constant
 * depth: each grant's holder releases and queues again at the tail.
 *
 * <ul>
 *   <li>{@code stateGrant}: {@link SemaphoreState} alone — release, grant the head, re-queue.
 *   <li>{@code actorGrant}: the {@link Semaphore} actor with one client actor that owns every
 *       queued request; on each {@code Granted} it sends {@code Release} and a new {@code Acquire}.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SemaphoreQueueDepthBenchmark {

  static final int GRANTS = 20_000;

  @Param({"100", "100000"})
  public int waiters;

  private SemaphoreState<Integer, Integer> state;
  private int holder;
  private final WaitQueue.OnGrant<Integer, Integer> onGranted =
      (waiter, token) -> holder = waiter.owner();

  private ActorSystem<SpawnProtocol.Command> system;
  private ActorRef<Object> crowd;

  @Setup(Level.Trial)
  public void start() throws InterruptedException {
    state = new SemaphoreState<>(1, true);
    state.grantNow(0, 1);
    holder = 0;
    for (int i = 1; i <= waiters; i++) {
      state.enqueue(i, 1, i);
    }

    system = BenchSystems.start("queue-depth");
    ActorRef<Semaphore.Command> semaphore =
        BenchSystems.spawn(
            system,
            Semaphore.create(Semaphore.Settings.bounded(1)),
            "room",
            BenchSystems.dispatcher("coordination"));
    crowd =
        BenchSystems.spawn(
            system,
            Behaviors.<Object>setup(context -> new Crowd(context, semaphore)),
            "crowd",
            BenchSystems.dispatcher("coordination"));
    CountDownLatch queued = new CountDownLatch(1);
    crowd.tell(new Fill(waiters, queued));
    if (!queued.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the queue was not filled");
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    BenchSystems.stop(system);
  }

  @Benchmark
  public int stateGrant() {
    int releasing = holder;
    state.release(releasing, 1);
    state.grantWaiting(onGranted);
    state.enqueue(releasing, 1, releasing);
    return holder;
  }

  @Benchmark
  @OperationsPerInvocation(GRANTS)
  public void actorGrant() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    crowd.tell(new Run(GRANTS, done));
    if (!done.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the grants did not finish");
    }
  }

  /**
   * Queue {@code waiters} requests behind one granted; count {@code queued} down when the room
   * confirms.
   */
  record Fill(int waiters, CountDownLatch queued) {}

  /** Take {@code grants} grants, then hold the permit and count {@code done} down. */
  record Run(int grants, CountDownLatch done) {}

  /** Owns every queued request; cycles grants through the queue while it has a budget. */
  private static final class Crowd extends AbstractBehavior<Object> {
    private final ActorRef<Semaphore.Command> semaphore;
    private final Semaphore.Acquire acquire;
    private final Semaphore.Release release;
    private CountDownLatch filled;
    private int budget;
    private CountDownLatch done;

    private Crowd(ActorContext<Object> context, ActorRef<Semaphore.Command> semaphore) {
      super(context);
      this.semaphore = semaphore;
      ActorRef<Semaphore.Reply> self = context.getSelf().narrow();
      this.acquire = new Semaphore.Acquire(1, context.getSelf(), self);
      this.release = new Semaphore.Release(1, context.getSelf(), context.getSystem().ignoreRef());
    }

    @Override
    public Receive<Object> createReceive() {
      return newReceiveBuilder()
          .onMessage(Fill.class, this::onFill)
          .onMessage(Run.class, this::onRun)
          .onMessage(Semaphore.Granted.class, this::onGranted)
          .onMessage(Semaphore.Permits.class, this::onPermits)
          .build();
    }

    private Behavior<Object> onFill(Fill fill) {
      filled = fill.queued();
      for (int i = 0; i <= fill.waiters(); i++) {
        semaphore.tell(acquire);
      }
      semaphore.tell(new Semaphore.Available(getContext().getSelf().narrow()));
      return this;
    }

    private Behavior<Object> onPermits(Semaphore.Permits permits) {
      filled.countDown();
      return this;
    }

    private Behavior<Object> onRun(Run run) {
      budget = run.grants();
      done = run.done();
      cycle();
      return this;
    }

    private Behavior<Object> onGranted(Semaphore.Granted granted) {
      if (done == null) {
        return this; // the first grant, while filling: hold it
      }
      if (--budget == 0) {
        done.countDown();
        done = null;
      } else {
        cycle();
      }
      return this;
    }

    /** Give the permit back (the head of the queue gets it) and queue again at the tail. */
    private void cycle() {
      semaphore.tell(release);
      semaphore.tell(acquire);
    }
  }
}
