package dev.actorkit.bench.event;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.SpawnProtocol;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.bench.BenchSystems;
import dev.actorkit.patterns.event.Event;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Time from {@code Set} to the last of N waiter actors woken.
 *
 * <p>Before every invocation (not measured) the event is cleared and N waiter actors are parked on
 * it, each with one {@code Wait}; the invocation sends {@code Set} and returns when the last waiter
 * has received its {@code Fired} (the waiters count down to a latch the benchmark thread waits on).
 * Beside it, the raw-Akka floor: one message to a plain actor that tells each of the N actors one
 * message, with no protocol, no bookkeeping and no timers (what the event does when it wakes, and
 * nothing else). The {@code java.util.concurrent} baseline (a {@code CountDownLatch} released for
 * parked threads) is {@link ParkedThreadsWakeBenchmark}, in the same run. Two sizes show that the
 * cost is linear in the number of waiters.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// 100,000 live actors and their waits: a fixed, roomy heap keeps garbage-collection pauses
// (otherwise 60-130 ms each on a small default young generation) out of most invocations.
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class EventWakeBenchmark {

  @Param({"1000", "100000"})
  public int waiters;

  @Param({"coordination"})
  public String dispatcher;

  private static final Duration PATIENCE = Duration.ofHours(1);
  private static final Event.Fired FIRED = new Event.Fired(false);

  private ActorSystem<SpawnProtocol.Command> system;
  private ActorRef<Event.Command> event;
  private ActorRef<Go> broadcaster;
  private AtomicReferenceArray<ActorRef<Event.Reply>> parked;
  private volatile Round round;

  /** One invocation's count of waiters still asleep and the latch the last one opens. */
  static final class Round {
    final AtomicInteger asleep;
    final CountDownLatch allAwake = new CountDownLatch(1);

    Round(int waiters) {
      this.asleep = new AtomicInteger(waiters);
    }

    void woke() {
      if (asleep.decrementAndGet() == 0) {
        allAwake.countDown();
      }
    }
  }

  /** The floor's one message: tell every waiter once. */
  private enum Go {
    INSTANCE
  }

  private Behavior<Go> broadcaster() {
    return Behaviors.receive(Go.class)
        .onMessageEquals(
            Go.INSTANCE,
            () -> {
              for (int i = 0; i < waiters; i++) {
                parked.get(i).tell(FIRED);
              }
              return Behaviors.same();
            })
        .build();
  }

  private Behavior<Event.Reply> waiter() {
    return Behaviors.receive(Event.Reply.class)
        .onMessage(
            Event.Fired.class,
            fired -> {
              round.woke();
              return Behaviors.same();
            })
        .build();
  }

  @Setup(Level.Trial)
  public void start() throws InterruptedException {
    system = BenchSystems.start("event-wake");
    event =
        BenchSystems.spawn(
            system,
            Event.create(Event.Settings.defaults()),
            "dinner",
            BenchSystems.dispatcher(dispatcher));
    parked = new AtomicReferenceArray<>(waiters);
    CountDownLatch spawned = new CountDownLatch(1);
    BenchSystems.spawn(
        system,
        Behaviors.<Void>setup(
            context -> {
              for (int i = 0; i < waiters; i++) {
                parked.set(
                    i, context.spawn(waiter(), "friend-" + i, BenchSystems.dispatcher(dispatcher)));
              }
              spawned.countDown();
              return Behaviors.empty();
            }),
        "table",
        BenchSystems.dispatcher(dispatcher));
    if (!spawned.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the waiters were not spawned within 60 s");
    }
    broadcaster =
        BenchSystems.spawn(
            system, broadcaster(), "broadcaster", BenchSystems.dispatcher(dispatcher));
  }

  @TearDown(Level.Trial)
  public void stop() {
    BenchSystems.stop(system);
  }

  /** Parks every waiter on a cleared event: the setup of one {@link #setWakesAll} invocation. */
  @State(Scope.Thread)
  public static class Armed {
    @Setup(Level.Invocation)
    public void arm(EventWakeBenchmark bench) {
      bench.round = new Round(bench.waiters);
      ask(bench, Event.Clear::new);
      for (int i = 0; i < bench.waiters; i++) {
        bench.event.tell(new Event.Wait(PATIENCE, bench.parked.get(i)));
      }
      // Told after every Wait from this thread, so answered after they are all queued.
      Event.Status status = (Event.Status) ask(bench, Event.IsSet::new);
      if (status.waiting() != bench.waiters || status.set()) {
        throw new IllegalStateException(
            "expected " + bench.waiters + " waiters on a clear event, found " + status);
      }
    }
  }

  /** A fresh round for one {@link #floorTellEach} invocation. */
  @State(Scope.Thread)
  public static class Fresh {
    @Setup(Level.Invocation)
    public void reset(EventWakeBenchmark bench) {
      bench.round = new Round(bench.waiters);
    }
  }

  private static Event.Reply ask(
      EventWakeBenchmark bench,
      akka.japi.function.Function<ActorRef<Event.Reply>, Event.Command> message) {
    return AskPattern.ask(bench.event, message, Duration.ofSeconds(60), bench.system.scheduler())
        .toCompletableFuture()
        .join();
  }

  /** The subject: one {@code Set}, N waiter actors woken. */
  @Benchmark
  public void setWakesAll(Armed armed) throws InterruptedException {
    Round current = round;
    event.tell(new Event.Set(system.ignoreRef()));
    current.allAwake.await();
  }

  /** The raw-Akka floor: one message to an actor that tells each of the N actors once. */
  @Benchmark
  public void floorTellEach(Fresh fresh) throws InterruptedException {
    Round current = round;
    broadcaster.tell(Go.INSTANCE);
    current.allAwake.await();
  }
}
