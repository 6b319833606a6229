package dev.actorkit.bench.pipe;

import dev.actorkit.core.ActorKit;
import dev.actorkit.patterns.pipe.PipeClient;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Pipe round trips inside one JVM: this thread sends on one end and receives the echo that a thread
 * on the other end sends back; beside it the same round trip over two {@code ArrayBlockingQueue}s
 * between two threads (the java.util.concurrent baseline). The raw-Akka floor for a blocking client
 * round trip is {@code floor.AskBenchmark}; a pipe round trip costs two of those on each side.
 * Between two JVMs see {@link CrossJvmBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PipeBenchmark {

  static final int IN_FLIGHT = 16;
  private static final Duration WAIT = Duration.ofSeconds(30);

  private ActorKit kit;
  private PipeClient near;
  private Echo echo;

  private BlockingQueue<Object> toEcho;
  private BlockingQueue<Object> fromEcho;
  private Thread queueEcho;

  @Setup(Level.Trial)
  public void start() {
    kit = ActorKit.create("pipe-bench");
    PipeClient.Ends pipe = PipeClient.open(kit, "bench", true);
    near = pipe.first();
    echo = Echo.start(pipe.second(), IN_FLIGHT);

    toEcho = new ArrayBlockingQueue<>(1024);
    fromEcho = new ArrayBlockingQueue<>(1024);
    queueEcho =
        new Thread(
            () -> {
              try {
                while (true) {
                  fromEcho.put(toEcho.take());
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "queue-echo");
    queueEcho.setDaemon(true);
    queueEcho.start();
  }

  @TearDown(Level.Trial)
  public void stop() throws InterruptedException {
    near.close();
    echo.awaitEnd(Duration.ofSeconds(10));
    kit.close();
    queueEcho.interrupt();
  }

  /** One value out and back, waiting for each: Python's {@code conn.send(x); conn.recv()}. */
  @Benchmark
  public Object pipeRoundTrip() {
    near.send("ping", WAIT);
    return near.recv(WAIT);
  }

  /** Sixteen values sent without waiting, then their sixteen echoes received. */
  @Benchmark
  @OperationsPerInvocation(IN_FLIGHT)
  public Object pipeRoundTrips16InFlight() {
    CompletableFuture<?>[] sent = new CompletableFuture<?>[IN_FLIGHT];
    for (int i = 0; i < IN_FLIGHT; i++) {
      sent[i] = near.sendAsync(i, WAIT).toCompletableFuture();
    }
    Object last = null;
    for (int i = 0; i < IN_FLIGHT; i++) {
      last = near.recv(WAIT);
    }
    CompletableFuture.allOf(sent).join();
    return last;
  }

  /** The baseline: the same round trip over two blocking queues between two threads. */
  @Benchmark
  public Object queueRoundTrip() throws InterruptedException {
    toEcho.put("ping");
    return fromEcho.take();
  }
}
