package dev.actorkit.bench.floor;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.SpawnProtocol;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.bench.BenchSystems;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Ask round trips from a plain thread, one at a time: the floor under every blocking client call
 * ({@code mutex.acquire()}, {@code buffer.take()}): a temporary reply actor, a tell, a reply, a
 * completed future, a woken thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AskBenchmark {

  @Param({"default", "coordination"})
  public String dispatcher;

  private ActorSystem<SpawnProtocol.Command> system;
  private ActorRef<Echo> echo;

  private record Echo(ActorRef<Echo> replyTo) {}

  private static Behavior<Echo> echo() {
    return Behaviors.receive(Echo.class)
        .onMessage(
            Echo.class,
            message -> {
              message.replyTo().tell(message);
              return Behaviors.same();
            })
        .build();
  }

  @Setup(Level.Trial)
  public void start() {
    system = BenchSystems.start("ask");
    echo = BenchSystems.spawn(system, echo(), "echo", BenchSystems.dispatcher(dispatcher));
  }

  @TearDown(Level.Trial)
  public void stop() {
    BenchSystems.stop(system);
  }

  @Benchmark
  public Echo askRoundTrip() {
    return AskPattern.<Echo, Echo>ask(echo, Echo::new, Duration.ofSeconds(5), system.scheduler())
        .toCompletableFuture()
        .join();
  }
}
