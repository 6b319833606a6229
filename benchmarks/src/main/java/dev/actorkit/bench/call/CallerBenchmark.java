package dev.actorkit.bench.call;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.patterns.buffer.BoundedBuffer;
import dev.actorkit.patterns.buffer.BufferClient;
import dev.actorkit.patterns.semaphore.Permit;
import dev.actorkit.patterns.semaphore.Semaphore;
import dev.actorkit.patterns.semaphore.SemaphoreClient;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the caller layer costs a plain-Java caller, one call at a time, uncontended: a semaphore
 * acquire and release, and a buffer put and take, through the kit's clients, beside {@code
 * java.util.concurrent} doing the same and raw Akka asks (the floor under any blocking call to an
 * actor) in the same run.
 *
 * <p>One operation is a pair: acquire + release, put + take, or two asks. A client acquire or take
 * is made by a stand-in actor (which the primitive watches, so that a caller who walks away loses
 * nothing); a release or put is an ask (a put is withdrawn, not given back, if its caller walks
 * away).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CallerBenchmark {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private ActorKit kit;
  private SemaphoreClient semaphore;
  private BufferClient<Integer> buffer;
  private ActorRef<Echo> echo;
  private final java.util.concurrent.Semaphore jucSemaphore = new java.util.concurrent.Semaphore(1);
  private final ArrayBlockingQueue<Integer> jucQueue = new ArrayBlockingQueue<>(16);

  private record Echo(ActorRef<Echo> replyTo) {}

  @Setup(Level.Trial)
  public void start() {
    kit = ActorKit.create("caller-bench");
    semaphore = SemaphoreClient.create(kit, "room", Semaphore.Settings.bounded(1));
    buffer = BufferClient.create(kit, "basket", BoundedBuffer.Settings.of(16));
    echo =
        kit.spawn(
            Branch.PRIMITIVES,
            "echo",
            Behaviors.receive(Echo.class)
                .onMessage(
                    Echo.class,
                    message -> {
                      message.replyTo().tell(message);
                      return Behaviors.same();
                    })
                .build(),
            SpawnOptions.daemon());
  }

  @TearDown(Level.Trial)
  public void stop() {
    kit.close();
  }

  @Benchmark
  public void semaphoreClientAcquireRelease() {
    Permit permit = semaphore.acquire(1, WAIT);
    permit.close();
  }

  @Benchmark
  public void bufferClientPutTake() {
    buffer.put(1, WAIT);
    buffer.take(WAIT);
  }

  @Benchmark
  public void floorTwoRawAkkaAsks() {
    ask();
    ask();
  }

  @Benchmark
  public void jucSemaphoreAcquireRelease() throws InterruptedException {
    jucSemaphore.acquire();
    jucSemaphore.release();
  }

  @Benchmark
  public Integer jucQueuePutTake() throws InterruptedException {
    jucQueue.put(1);
    return jucQueue.take();
  }

  private Echo ask() {
    return AskPattern.<Echo, Echo>ask(echo, Echo::new, WAIT, kit.system().scheduler())
        .toCompletableFuture()
        .join();
  }
}
