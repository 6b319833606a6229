package dev.actorkit.bench.floor;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.SpawnProtocol;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import dev.actorkit.bench.BenchSystems;
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

/** One-way tells from a plain thread to one actor: how fast an actor drains its mailbox. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TellBenchmark {

  static final int MESSAGES = 1_000_000;

  @Param({"default", "forkjoin", "percore", "coordination"})
  public String dispatcher;

  private ActorSystem<SpawnProtocol.Command> system;
  private ActorRef<Object> counter;

  private record Expect(int count, CountDownLatch done) {}

  private enum Tick {
    INSTANCE
  }

  private static final class Counter extends AbstractBehavior<Object> {
    private int remaining;
    private CountDownLatch done;

    private Counter(ActorContext<Object> context) {
      super(context);
    }

    @Override
    public Receive<Object> createReceive() {
      return newReceiveBuilder()
          .onMessage(Expect.class, this::onExpect)
          .onMessage(Tick.class, this::onTick)
          .build();
    }

    private Behavior<Object> onExpect(Expect expect) {
      remaining = expect.count();
      done = expect.done();
      return this;
    }

    private Behavior<Object> onTick(Tick tick) {
      if (--remaining == 0) {
        done.countDown();
      }
      return this;
    }
  }

  @Setup(Level.Trial)
  public void start() {
    system = BenchSystems.start("tell");
    counter =
        BenchSystems.spawn(
            system, Behaviors.setup(Counter::new), "counter", BenchSystems.dispatcher(dispatcher));
  }

  @TearDown(Level.Trial)
  public void stop() {
    BenchSystems.stop(system);
  }

  @Benchmark
  @OperationsPerInvocation(MESSAGES)
  public void tells() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    counter.tell(new Expect(MESSAGES, done));
    for (int i = 0; i < MESSAGES; i++) {
      counter.tell(Tick.INSTANCE);
    }
    if (!done.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("counter did not see every tell");
    }
  }
}
