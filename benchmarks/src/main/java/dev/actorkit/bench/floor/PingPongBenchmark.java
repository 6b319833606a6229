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

/**
 * Round trips between two actors: one sends, the other answers, the first sends again. The floor
 * under every request-reply protocol in the kit (a grant is one round trip).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PingPongBenchmark {

  static final int ROUND_TRIPS = 100_000;

  @Param({"default", "forkjoin", "affinity", "percore", "coordination"})
  public String dispatcher;

  private ActorSystem<SpawnProtocol.Command> system;
  private ActorRef<Serve> pinger;

  /** Start a rally of {@code count} round trips; count the latch down at its end. */
  public record Serve(int count, CountDownLatch done) {}

  private record Ball(int remaining, ActorRef<Ball> replyTo) {}

  private static Behavior<Ball> ponger() {
    return Behaviors.receive(Ball.class)
        .onMessage(
            Ball.class,
            ball -> {
              ball.replyTo().tell(ball);
              return Behaviors.same();
            })
        .build();
  }

  /** Mutable state in an AbstractBehavior, so the measured path allocates only the ball. */
  private static final class Pinger extends AbstractBehavior<Object> {
    private final ActorRef<Ball> ponger;
    private final ActorRef<Ball> self;
    private CountDownLatch done;

    private Pinger(ActorContext<Object> context, ActorRef<Ball> ponger) {
      super(context);
      this.ponger = ponger;
      this.self = context.getSelf().narrow();
    }

    @Override
    public Receive<Object> createReceive() {
      return newReceiveBuilder()
          .onMessage(Serve.class, this::onServe)
          .onMessage(Ball.class, this::onBall)
          .build();
    }

    private Behavior<Object> onServe(Serve serve) {
      done = serve.done();
      ponger.tell(new Ball(serve.count(), self));
      return this;
    }

    private Behavior<Object> onBall(Ball ball) {
      if (ball.remaining() <= 1) {
        done.countDown();
      } else {
        ponger.tell(new Ball(ball.remaining() - 1, self));
      }
      return this;
    }
  }

  @Setup(Level.Trial)
  public void start() {
    system = BenchSystems.start("pingpong");
    ActorRef<Ball> ponger =
        BenchSystems.spawn(system, ponger(), "ponger", BenchSystems.dispatcher(dispatcher));
    pinger =
        BenchSystems.spawn(
                system,
                Behaviors.<Object>setup(context -> new Pinger(context, ponger)),
                "pinger",
                BenchSystems.dispatcher(dispatcher))
            .narrow();
  }

  @TearDown(Level.Trial)
  public void stop() {
    BenchSystems.stop(system);
  }

  @Benchmark
  @OperationsPerInvocation(ROUND_TRIPS)
  public void roundTrips() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    pinger.tell(new Serve(ROUND_TRIPS, done));
    if (!done.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("rally did not finish");
    }
  }
}
