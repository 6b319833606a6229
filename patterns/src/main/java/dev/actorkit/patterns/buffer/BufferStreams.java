package dev.actorkit.patterns.buffer;

import akka.Done;
import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import dev.actorkit.patterns.pool.WorkerPoolClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * A {@link BoundedBuffer} as an Akka Streams {@link Source} and {@link Sink}, with backpressure
 * carried through the buffer: a sink stops pulling while the buffer is full, a source stops
 * emitting while it is empty, and nothing is dropped on the way.
 *
 * <p>Each materialization talks to the buffer through its own stage actor, with two calls in
 * flight: a sink puts what accumulated while its previous {@code PutAll}s were waiting (up to
 * {@code batch} items each), a source asks for up to {@code batch} items per {@code Request}. A
 * source may therefore hold up to {@code 2 * batch} items taken from the buffer and not yet emitted
 * downstream. Several sinks and sources can share a buffer; items keep the buffer's FIFO order, and
 * each sink's items keep the order they had in its stream. The batches a source holds stay in
 * flight at the buffer (counted against its capacity) until the source has emitted them; a source
 * that is cancelled (a {@code take(10)} downstream) or fails puts back at the head of the buffer,
 * in order, everything it took and did not emit.
 *
 * <p>A source completes when the buffer is closed and drained; a sink's materialized stage
 * completes when its last batch is in the buffer. Closing the buffer is the caller's choice (a sink
 * does not close it, since other producers may share it). If the buffer stops, the streams fail
 * with {@link dev.actorkit.core.errors.ClosedException}; a put refused after close fails the sink
 * with {@link dev.actorkit.core.errors.RejectedException}. A source acknowledges each item once it
 * has emitted it, so in at-least-once mode the stream owns an item from the moment it passes it
 * downstream.
 */
public final class BufferStreams {

  private BufferStreams() {}

  /**
   * Items taken from {@code buffer}, up to {@code batch} per round trip; completes on
   * end-of-stream.
   */
  public static <T> Source<T, NotUsed> source(
      ActorRef<BoundedBuffer.Command<T>> buffer, int batch) {
    requireBatch(batch);
    return Source.fromGraph(new BufferStages.SourceStage<>(buffer, batch));
  }

  /**
   * Puts every element into {@code buffer}, in order, at most {@code batch} per round trip; the
   * stage completes when the last is in the buffer.
   */
  public static <T> Sink<T, CompletionStage<Done>> sink(
      ActorRef<BoundedBuffer.Command<T>> buffer, int batch) {
    requireBatch(batch);
    return Sink.fromGraph(new BufferStages.SinkStage<>(buffer, batch));
  }

  /**
   * A stage that runs {@code work} for each element, at most {@code parallelism} at a time, and
   * emits the results in the order of the elements. {@code work} decides where the work runs;
   * {@link #mapAsync(int, WorkerPoolClient, Function)} runs it on a worker pool.
   */
  public static <T, R> Flow<T, R, NotUsed> mapAsync(
      int parallelism, Function<T, CompletionStage<R>> work) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
    }
    return Flow.<T>create().mapAsync(parallelism, work::apply);
  }

  /** {@link #mapAsync(int, Function)} with blocking {@code work} run on {@code executor}. */
  public static <T, R> Flow<T, R, NotUsed> mapAsync(
      int parallelism, Executor executor, Function<T, R> work) {
    return mapAsync(
        parallelism,
        (T element) -> CompletableFuture.supplyAsync(() -> work.apply(element), executor));
  }

  /**
   * {@link #mapAsync(int, Function)} with {@code work} run as tasks on {@code pool}: blocking or
   * CPU-bound work stays off the stream's threads, at most {@code parallelism} tasks at a time,
   * results in element order. A task that fails fails the stream with what it raised.
   */
  public static <T, R> Flow<T, R, NotUsed> mapAsync(
      int parallelism, WorkerPoolClient pool, Function<T, R> work) {
    return mapAsync(parallelism, (T element) -> pool.submit(() -> work.apply(element)));
  }

  private static void requireBatch(int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be at least 1, was " + batch);
    }
  }
}
