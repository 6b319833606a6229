package dev.actorkit.patterns.buffer;

import akka.Done;
import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import dev.actorkit.core.Ask;
import dev.actorkit.core.errors.KitException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A {@link BoundedBuffer} as an Akka Streams {@link Source} and {@link Sink}, with backpressure
 * carried through the buffer: a sink stops pulling while the buffer is full, a source stops
 * emitting while it is empty, and nothing is dropped on the way.
 *
 * <p>Each materialization talks to the buffer through an owner actor of its own, with two calls
 * in flight: a sink puts what accumulated while its previous {@code PutAll}s were waiting (up to
 * {@code batch} items each), a source asks for up to {@code batch} items per {@code Request}. A
 * source may therefore hold up to {@code 2 * batch} items taken from the buffer and not yet
 * emitted downstream. Several
 * sinks and sources can share a buffer; items keep the buffer's FIFO order, and each sink's items
 * keep the order they had in its stream.
 *
 * <p>A source completes when the buffer is closed and drained; a sink's materialized stage
 * completes when its last batch is in the buffer. Closing the buffer is the caller's choice (a
 * sink does not close it, since other producers may share it). If the buffer stops, the streams
 * fail with {@link dev.actorkit.core.errors.ClosedException}; a put refused after close fails the
 * sink with {@link dev.actorkit.core.errors.RejectedException}. A source acknowledges each batch
 * as soon as it has it, so in at-least-once mode the stream, not the buffer, owns it from then on.
 */
public final class BufferStreams {

  /** How long a source's request waits before it simply asks again (story time). */
  private static final Duration REQUEST_WAIT = Duration.ofMinutes(10);

  private static final AtomicLong COURIERS = new AtomicLong();

  /** Calls each stream keeps in flight, so the buffer has the next one before it answers this one. */
  private static final int IN_FLIGHT = 2;

  private BufferStreams() {}

  /** Items taken from {@code buffer}, up to {@code batch} per round trip; completes on end-of-stream. */
  public static <T> Source<T, NotUsed> source(
      ActorRef<BoundedBuffer.Command<T>> buffer, int batch, ActorSystem<?> system) {
    requireBatch(batch);
    return Source.fromMaterializer(
            (materializer, attributes) -> {
              ActorRef<Object> courier = courier(buffer, system, "source");
              return Source.repeat(Done.getInstance())
                  .mapAsync(IN_FLIGHT, (Done pull) -> nextBatch(buffer, courier, batch))
                  .takeWhile(Optional::isPresent)
                  .mapConcat(Optional::get)
                  .watchTermination(
                      (NotUsed notUsed, CompletionStage<Done> done) -> {
                        done.whenComplete((ok, failure) -> courier.tell(BufferCourier.Stop.INSTANCE));
                        return notUsed;
                      });
            })
        .mapMaterializedValue(stage -> NotUsed.getInstance());
  }

  /**
   * Puts every element into {@code buffer}, in order, at most {@code batch} per round trip; the
   * stage completes when the last is in the buffer.
   */
  public static <T> Sink<T, CompletionStage<Done>> sink(
      ActorRef<BoundedBuffer.Command<T>> buffer, int batch, ActorSystem<?> system) {
    requireBatch(batch);
    Sink<T, CompletionStage<CompletionStage<Done>>> perMaterialization =
        Sink.fromMaterializer(
            (materializer, attributes) -> {
              ActorRef<Object> courier = courier(buffer, system, "sink");
              return Flow.<T>create()
                  .batch(
                      batch,
                      (T first) -> {
                        List<T> items = new ArrayList<>();
                        items.add(first);
                        return items;
                      },
                      (List<T> items, T next) -> {
                        items.add(next);
                        return items;
                      })
                  .mapAsync(IN_FLIGHT, (List<T> items) -> putAll(courier, items))
                  .watchTermination(
                      (NotUsed notUsed, CompletionStage<Done> done) -> {
                        done.whenComplete((ok, failure) -> courier.tell(BufferCourier.Stop.INSTANCE));
                        return notUsed;
                      })
                  .toMat(Sink.ignore(), Keep.right());
            });
    return perMaterialization.mapMaterializedValue(stage -> stage.thenCompose(done -> done));
  }

  /**
   * A stage that runs {@code work} for each element, at most {@code parallelism} at a time, and
   * emits the results in the order of the elements. {@code work} decides where the work runs: a
   * worker pool plugs in here by returning its task's {@code CompletionStage} (actorkit's
   * {@code WorkerPool} is not written yet; this is the seam it will use).
   */
  public static <T, R> Flow<T, R, NotUsed> mapAsync(int parallelism, Function<T, CompletionStage<R>> work) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
    }
    return Flow.<T>create().mapAsync(parallelism, work::apply);
  }

  /** {@link #mapAsync(int, Function)} with blocking {@code work} run on {@code executor}. */
  public static <T, R> Flow<T, R, NotUsed> mapAsync(int parallelism, Executor executor, Function<T, R> work) {
    return mapAsync(parallelism, (T element) -> CompletableFuture.supplyAsync(() -> work.apply(element), executor));
  }

  private static <T> CompletionStage<Optional<List<T>>> nextBatch(
      ActorRef<BoundedBuffer.Command<T>> buffer, ActorRef<Object> courier, int batch) {
    CompletableFuture<BoundedBuffer.Reply<T>> reply = new CompletableFuture<>();
    courier.tell(new BufferCourier.Call<T>(replyTo -> new BoundedBuffer.Request<>(batch, REQUEST_WAIT, replyTo), reply));
    return reply.thenCompose(
        answer -> {
          if (answer instanceof BoundedBuffer.Taken<T> taken) {
            buffer.tell(new BoundedBuffer.Ack<>(taken.deliveryId()));
            return CompletableFuture.completedFuture(Optional.of(taken.items()));
          }
          if (answer instanceof BoundedBuffer.EndOfStream<T>) {
            return CompletableFuture.completedFuture(Optional.empty());
          }
          if (answer instanceof BoundedBuffer.TimedOut<T>) {
            // Nothing came for a long time: an empty batch, and the stream simply asks again
            // (asking here would put the new request behind the one already in flight).
            return CompletableFuture.completedFuture(Optional.of(List.<T>of()));
          }
          return CompletableFuture.<Optional<List<T>>>failedFuture(failure(answer, buffer));
        });
  }

  private static <T> CompletionStage<Done> putAll(ActorRef<Object> courier, List<T> items) {
    CompletableFuture<BoundedBuffer.Reply<T>> reply = new CompletableFuture<>();
    courier.tell(new BufferCourier.Call<T>(replyTo -> new BoundedBuffer.PutAll<>(items, replyTo), reply));
    return reply.thenApply(
        answer -> {
          if (answer instanceof BoundedBuffer.Accepted<T>) {
            return Done.getInstance();
          }
          throw new CompletionException(failure(answer, courier));
        });
  }

  private static RuntimeException failure(Object answer, ActorRef<?> target) {
    KitException mapped = Ask.exceptionFor(answer, Ask.targetName(target));
    return mapped != null ? mapped : new IllegalStateException(Ask.targetName(target) + " answered " + answer);
  }

  private static <T> ActorRef<Object> courier(
      ActorRef<BoundedBuffer.Command<T>> buffer, ActorSystem<?> system, String role) {
    return system.systemActorOf(
        BufferCourier.create(buffer, IN_FLIGHT), "buffer-" + role + "-" + COURIERS.incrementAndGet(), Props.empty());
  }

  private static void requireBatch(int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be at least 1, was " + batch);
    }
  }
}
