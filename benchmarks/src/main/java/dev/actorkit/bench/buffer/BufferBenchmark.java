package dev.actorkit.bench.buffer;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.SpawnProtocol;
import akka.actor.typed.javadsl.Behaviors;
import akka.stream.ActorAttributes;
import akka.stream.Attributes;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import dev.actorkit.bench.BenchSystems;
import dev.actorkit.core.KitDispatcher;
import dev.actorkit.patterns.buffer.BoundedBuffer;
import dev.actorkit.patterns.buffer.BufferStreams;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * Items per second from one producer to one consumer through a bounded buffer of {@code capacity},
 * for:
 *
 * <ul>
 *   <li>{@code actorBatched} — a producer actor and a consumer actor around a {@link BoundedBuffer}
 *       actor, with {@code PutAll} batches of up to {@code capacity} and {@code Request(capacity)},
 *       two of each in flight;
 *   <li>{@code actorPerItem} — the same with one {@code Put} and one {@code Take} per item (no
 *       batching), to show what batching buys;
 *   <li>{@code stream} — {@code Source.range} into {@link BufferStreams#sink}, out of {@link
 *       BufferStreams#source} into {@code Sink.fold}, both streams on the coordination dispatcher;
 *   <li>{@code arrayBlockingQueue} — the {@code java.util.concurrent} baseline: two threads, {@code
 *       put} and {@code take};
 *   <li>{@code tellFloor} — the raw-Akka floor: the producer actor tells the consumer actor each
 *       item directly, with no buffer and no backpressure.
 * </ul>
 *
 * All actors run on the kit's coordination dispatcher.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BufferBenchmark {

  static final int ITEMS = 200_000;
  private static final Integer ITEM = 42;
  private static final Duration LONG = Duration.ofHours(1);

  /** Streams run on the same dispatcher as the actors they are compared with. */
  private static final Attributes ON_COORDINATION =
      ActorAttributes.dispatcher(KitDispatcher.COORDINATION.id());

  @Param({"5", "1000"})
  public int capacity;

  private ActorSystem<SpawnProtocol.Command> system;
  private List<Integer> batchOfItems;
  private final AtomicLong runs = new AtomicLong();

  @Setup(Level.Trial)
  public void start() {
    system = BenchSystems.start("buffer");
    batchOfItems = List.copyOf(Collections.nCopies(capacity, ITEM));
  }

  @TearDown(Level.Trial)
  public void stop() {
    BenchSystems.stop(system);
  }

  // ------------------------------------------------------------------ actors

  private enum Go {
    INSTANCE
  }

  /** Puts {@code total} items, {@code batch} at a time (1 means Put), two requests in flight. */
  private static Behavior<Object> producer(
      ActorRef<BoundedBuffer.Command<Integer>> buffer, int total, List<Integer> batchOfItems) {
    int batch = batchOfItems.size();
    return Behaviors.setup(
        context -> {
          ActorRef<BoundedBuffer.Reply<Integer>> self = context.getSelf().narrow();
          int[] sent = {0};
          Runnable sendOne =
              () -> {
                int n = Math.min(batch, total - sent[0]);
                if (n <= 0) {
                  return;
                }
                if (batch == 1) {
                  buffer.tell(new BoundedBuffer.Put<>(ITEM, self));
                } else {
                  buffer.tell(
                      new BoundedBuffer.PutAll<>(
                          n == batch ? batchOfItems : batchOfItems.subList(0, n), self));
                }
                sent[0] += n;
              };
          return Behaviors.receive(Object.class)
              .onMessageEquals(
                  Go.INSTANCE,
                  () -> {
                    sendOne.run();
                    sendOne.run();
                    return Behaviors.same();
                  })
              .onMessage(
                  BoundedBuffer.Accepted.class,
                  accepted -> {
                    sendOne.run();
                    return Behaviors.same();
                  })
              .build();
        });
  }

  /** Takes {@code total} items with Request(max) (Take when max is 1), two requests in flight. */
  private static Behavior<Object> consumer(
      ActorRef<BoundedBuffer.Command<Integer>> buffer, int total, int max, CountDownLatch done) {
    return Behaviors.setup(
        context -> {
          ActorRef<BoundedBuffer.Reply<Integer>> self = context.getSelf().narrow();
          int[] counts = {0, 0}; // received, requested
          Runnable request =
              () -> {
                if (counts[1] < total) {
                  buffer.tell(
                      max == 1
                          ? new BoundedBuffer.Take<>(self)
                          : new BoundedBuffer.Request<>(max, LONG, self));
                  counts[1] += max;
                }
              };
          return Behaviors.receive(Object.class)
              .onMessageEquals(
                  Go.INSTANCE,
                  () -> {
                    request.run();
                    request.run();
                    return Behaviors.same();
                  })
              .onMessage(
                  BoundedBuffer.Taken.class,
                  taken -> {
                    counts[0] += taken.items().size();
                    counts[1] -= max - taken.items().size();
                    if (counts[0] >= total) {
                      done.countDown();
                      return Behaviors.stopped();
                    }
                    request.run();
                    return Behaviors.same();
                  })
              .build();
        });
  }

  /** One run: a buffer, a producer and a consumer as children, stopped together at the end. */
  private static Behavior<Object> run(
      int capacity, int total, List<Integer> batchOfItems, int max, CountDownLatch done) {
    return Behaviors.setup(
        context -> {
          ActorRef<BoundedBuffer.Command<Integer>> buffer =
              context.spawn(
                  BoundedBuffer.<Integer>create(BoundedBuffer.Settings.of(capacity)),
                  "buffer",
                  KitDispatcher.COORDINATION.selector());
          ActorRef<Object> consumer =
              context.spawn(
                  consumer(buffer, total, max, done),
                  "consumer",
                  KitDispatcher.COORDINATION.selector());
          ActorRef<Object> producer =
              context.spawn(
                  producer(buffer, total, batchOfItems),
                  "producer",
                  KitDispatcher.COORDINATION.selector());
          context.watch(consumer);
          consumer.tell(Go.INSTANCE);
          producer.tell(Go.INSTANCE);
          return Behaviors.receive(Object.class)
              .onSignal(akka.actor.typed.Terminated.class, terminated -> Behaviors.stopped())
              .build();
        });
  }

  private void runActors(List<Integer> batch, int max) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    BenchSystems.spawn(
        system,
        run(capacity, ITEMS, batch, max, done),
        "run-" + runs.incrementAndGet(),
        KitDispatcher.COORDINATION.selector());
    if (!done.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the consumer did not get every item");
    }
  }

  @Benchmark
  @OperationsPerInvocation(ITEMS)
  public void actorBatched() throws InterruptedException {
    runActors(batchOfItems, capacity);
  }

  @Benchmark
  @OperationsPerInvocation(ITEMS)
  public void actorPerItem() throws InterruptedException {
    runActors(List.of(ITEM), 1);
  }

  // ------------------------------------------------------------------ stream

  @Benchmark
  @OperationsPerInvocation(ITEMS)
  public long stream() throws Exception {
    ActorRef<BoundedBuffer.Command<Integer>> buffer =
        BenchSystems.spawn(
            system,
            BoundedBuffer.<Integer>create(BoundedBuffer.Settings.of(capacity)),
            "stream-buffer-" + runs.incrementAndGet(),
            KitDispatcher.COORDINATION.selector());
    CompletionStage<Long> out =
        BufferStreams.source(buffer, capacity)
            .toMat(Sink.fold(0L, (n, item) -> n + 1), Keep.right())
            .withAttributes(ON_COORDINATION)
            .run(system);
    Source.range(1, ITEMS)
        .map(i -> ITEM)
        .toMat(BufferStreams.sink(buffer, capacity), Keep.right())
        .withAttributes(ON_COORDINATION)
        .run(system)
        .toCompletableFuture()
        .get(120, TimeUnit.SECONDS);
    buffer.tell(new BoundedBuffer.Close<>(system.ignoreRef()));
    long n = out.toCompletableFuture().get(120, TimeUnit.SECONDS);
    if (n != ITEMS) {
      throw new IllegalStateException("the stream moved " + n + " items, not " + ITEMS);
    }
    return n;
  }

  // ------------------------------------------------------------------ baselines

  @Benchmark
  @OperationsPerInvocation(ITEMS)
  public void arrayBlockingQueue() throws InterruptedException {
    ArrayBlockingQueue<Integer> queue = new ArrayBlockingQueue<>(capacity);
    Thread producer =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < ITEMS; i++) {
                  queue.put(ITEM);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "abq-producer");
    producer.start();
    for (int i = 0; i < ITEMS; i++) {
      queue.take();
    }
    producer.join();
  }

  private static Behavior<Object> tellConsumer(int total, CountDownLatch done) {
    int[] received = {0};
    return Behaviors.receive(Object.class)
        .onMessage(
            Integer.class,
            item -> {
              if (++received[0] == total) {
                done.countDown();
                return Behaviors.stopped();
              }
              return Behaviors.same();
            })
        .build();
  }

  private static Behavior<Object> tellRun(int total, CountDownLatch done) {
    return Behaviors.setup(
        context -> {
          ActorRef<Object> consumer =
              context.spawn(
                  tellConsumer(total, done), "consumer", KitDispatcher.COORDINATION.selector());
          ActorRef<Object> producer =
              context.spawn(
                  Behaviors.receive(Object.class)
                      .onMessageEquals(
                          Go.INSTANCE,
                          () -> {
                            for (int i = 0; i < total; i++) {
                              consumer.tell(ITEM);
                            }
                            return Behaviors.same();
                          })
                      .build(),
                  "producer",
                  KitDispatcher.COORDINATION.selector());
          context.watch(consumer);
          producer.tell(Go.INSTANCE);
          return Behaviors.receive(Object.class)
              .onSignal(akka.actor.typed.Terminated.class, terminated -> Behaviors.stopped())
              .build();
        });
  }

  @Benchmark
  @OperationsPerInvocation(ITEMS)
  public void tellFloor() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    BenchSystems.spawn(
        system,
        tellRun(ITEMS, done),
        "tell-" + runs.incrementAndGet(),
        KitDispatcher.COORDINATION.selector());
    if (!done.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the consumer did not get every item");
    }
  }
}
