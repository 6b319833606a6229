package dev.actorkit.patterns.buffer;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Adapter;
import akka.japi.Pair;
import akka.stream.Attributes;
import akka.stream.Inlet;
import akka.stream.Outlet;
import akka.stream.SinkShape;
import akka.stream.SourceShape;
import akka.stream.stage.AbstractGraphStageWithMaterializedValue;
import akka.stream.stage.AbstractInHandler;
import akka.stream.stage.AbstractOutHandler;
import akka.stream.stage.GraphStage;
import akka.stream.stage.GraphStageLogic;
import dev.actorkit.core.call.Callers;
import dev.actorkit.core.errors.ClosedException;
import dev.actorkit.core.trace.Tracer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import scala.Tuple2;
import scala.runtime.BoxedUnit;

/**
 * The stream stages behind {@link BufferStreams}: each talks to the buffer through its own stage
 * actor, so a reply goes straight to the stream's actor with no future and no extra actor in
 * between, and keeps {@link #IN_FLIGHT} calls in flight so the buffer has the next one before it
 * answers this one. The buffer answers one waiter's calls in the order they were made, so the
 * stages need no correlation ids. The stage actor is the waiter the buffer watches, and it stops
 * with the stage. A source takes its batches until acknowledged, and acknowledges each once it has
 * emitted all of it; a source that is cancelled or fails acknowledges what it emitted of the
 * oldest, and the buffer puts everything else back at its head, in order — in either delivery mode,
 * nothing taken and not emitted is lost.
 */
final class BufferStages {

  static final int IN_FLIGHT = 2;

  /** How long a source's request waits before it simply asks again (story time). */
  private static final Duration REQUEST_WAIT = Duration.ofMinutes(10);

  private BufferStages() {}

  private static final java.util.concurrent.atomic.AtomicLong stages =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * Names a stage's actor on timelines: by the stream's own name if it was given one ({@code
   * .named("eater-1")}), else {@code stream-source-N}, rather than the materializer's {@code $$c}.
   */
  static void nameForTimelines(
      Tracer tracer, ActorRef<?> stageActor, Attributes attributes, String kind) {
    if (tracer.enabled()) {
      scala.Option<String> named = attributes.nameLifted();
      tracer.alias(
          stageActor, named.isDefined() ? named.get() : kind + "-" + stages.incrementAndGet());
    }
  }

  private static RuntimeException failure(Object answer, ActorRef<?> buffer) {
    return Callers.refusal(answer, buffer);
  }

  /**
   * Emits the buffer's items, asking for up to {@code batch} at a time; completes on end-of-stream.
   */
  static final class SourceStage<T> extends GraphStage<SourceShape<T>> {
    private final ActorRef<BoundedBuffer.Command<T>> buffer;
    private final int batch;
    private final Outlet<T> out = Outlet.create("BufferSource.out");
    private final SourceShape<T> shape = SourceShape.of(out);

    SourceStage(ActorRef<BoundedBuffer.Command<T>> buffer, int batch) {
      this.buffer = buffer;
      this.batch = batch;
    }

    @Override
    public SourceShape<T> shape() {
      return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
      return new GraphStageLogic(shape) {
        /**
         * Deliveries taken and not yet wholly emitted, oldest first; each is acknowledged once
         * emitted.
         */
        private final ArrayDeque<Held<T>> held = new ArrayDeque<>();

        private ActorRef<BoundedBuffer.Reply<T>> self;
        private int unemitted;
        private int outstanding;
        private boolean ended;

        {
          setHandler(
              out,
              new AbstractOutHandler() {
                @Override
                public void onPull() {
                  emitOrFinish();
                  askMore();
                }
              });
        }

        @Override
        public void preStart() {
          StageActor actor =
              getStageActor(
                  message -> {
                    onReply(message);
                    return BoxedUnit.UNIT;
                  });
          self = Adapter.toTyped(actor.ref());
          nameForTimelines(
              Tracer.get(Adapter.toTyped(materializer().system())),
              self,
              attributes,
              "stream-source");
          actor.watch(Adapter.toClassic(buffer));
          askMore();
        }

        /**
         * The stream cancelled or failed: the part of the oldest delivery that was emitted is
         * acknowledged now; the stage actor stops right after, and the buffer puts back everything
         * else it still holds for it (that delivery's rest, then the later ones, in order).
         */
        @Override
        public void postStop() {
          Held<T> first = held.peekFirst();
          if (first != null && first.next > 0) {
            buffer.tell(new BoundedBuffer.Ack<>(first.deliveryId, first.next));
          }
        }

        private void askMore() {
          while (!ended && outstanding < IN_FLIGHT && unemitted < batch) {
            buffer.tell(new BoundedBuffer.Request<>(batch, REQUEST_WAIT, true, self));
            outstanding++;
          }
        }

        private void emitOrFinish() {
          Held<T> first = held.peekFirst();
          if (isAvailable(out) && first != null) {
            push(out, first.items.get(first.next++));
            unemitted--;
            if (first.next == first.items.size()) {
              held.pollFirst();
              buffer.tell(new BoundedBuffer.Ack<>(first.deliveryId));
            }
          }
          if (ended && held.isEmpty()) {
            completeStage();
          }
        }

        @SuppressWarnings("unchecked")
        private void onReply(Tuple2<akka.actor.ActorRef, Object> message) {
          Object reply = message._2();
          if (reply instanceof akka.actor.Terminated) {
            failStage(new ClosedException("the buffer " + buffer.path() + " has stopped"));
            return;
          }
          outstanding--;
          if (reply instanceof BoundedBuffer.Taken) {
            BoundedBuffer.Taken<T> taken = (BoundedBuffer.Taken<T>) reply;
            held.addLast(new Held<>(taken.deliveryId(), taken.items()));
            unemitted += taken.items().size();
          } else if (reply instanceof BoundedBuffer.EndOfStream) {
            ended = true;
          } else if (!(reply instanceof BoundedBuffer.TimedOut)) {
            failStage(failure(reply, buffer));
            return;
          }
          emitOrFinish();
          askMore();
        }
      };
    }
  }

  /** A delivery a source holds: its items and how many of them it has emitted. */
  private static final class Held<T> {
    final long deliveryId;
    final List<T> items;
    int next;

    Held(long deliveryId, List<T> items) {
      this.deliveryId = deliveryId;
      this.items = items;
    }
  }

  /** Puts every element into the buffer, up to {@code batch} per call; materializes completion. */
  static final class SinkStage<T>
      extends AbstractGraphStageWithMaterializedValue<SinkShape<T>, CompletionStage<Done>> {
    private final ActorRef<BoundedBuffer.Command<T>> buffer;
    private final int batch;
    private final Inlet<T> in = Inlet.create("BufferSink.in");
    private final SinkShape<T> shape = SinkShape.of(in);

    SinkStage(ActorRef<BoundedBuffer.Command<T>> buffer, int batch) {
      this.buffer = buffer;
      this.batch = batch;
    }

    @Override
    public SinkShape<T> shape() {
      return shape;
    }

    @Override
    public Pair<GraphStageLogic, CompletionStage<Done>> createLogicAndMaterializedValuePair(
        Attributes attributes) {
      CompletableFuture<Done> done = new CompletableFuture<>();
      GraphStageLogic logic =
          new GraphStageLogic(shape) {
            private List<T> pending = new ArrayList<>();
            private ActorRef<BoundedBuffer.Reply<T>> self;
            private int outstanding;

            {
              setHandler(
                  in,
                  new AbstractInHandler() {
                    @Override
                    public void onPush() {
                      pending.add(grab(in));
                      flush();
                      pullIfRoom();
                    }

                    @Override
                    public void onUpstreamFinish() {
                      flush();
                      finishIfDone();
                    }

                    @Override
                    public void onUpstreamFailure(Throwable ex) {
                      done.completeExceptionally(ex);
                      failStage(ex);
                    }
                  });
            }

            @Override
            public void preStart() {
              StageActor actor =
                  getStageActor(
                      message -> {
                        onReply(message);
                        return BoxedUnit.UNIT;
                      });
              self = Adapter.toTyped(actor.ref());
              nameForTimelines(
                  Tracer.get(Adapter.toTyped(materializer().system())),
                  self,
                  attributes,
                  "stream-sink");
              actor.watch(Adapter.toClassic(buffer));
              setKeepGoing(true);
              pull(in);
            }

            @Override
            public void postStop() {
              if (!done.isDone()) {
                done.completeExceptionally(
                    new ClosedException("the sink into " + buffer.path() + " stopped early"));
              }
            }

            private void flush() {
              while (outstanding < IN_FLIGHT && !pending.isEmpty()) {
                List<T> send = pending;
                pending = new ArrayList<>();
                buffer.tell(new BoundedBuffer.PutAll<>(send, self));
                outstanding++;
              }
            }

            private void pullIfRoom() {
              if (pending.size() < batch && !isClosed(in) && !hasBeenPulled(in)) {
                pull(in);
              }
            }

            private void finishIfDone() {
              if (isClosed(in) && pending.isEmpty() && outstanding == 0) {
                done.complete(Done.getInstance());
                completeStage();
              }
            }

            private void onReply(Tuple2<akka.actor.ActorRef, Object> message) {
              Object reply = message._2();
              if (reply instanceof akka.actor.Terminated) {
                RuntimeException gone =
                    new ClosedException("the buffer " + buffer.path() + " has stopped");
                done.completeExceptionally(gone);
                failStage(gone);
                return;
              }
              outstanding--;
              if (!(reply instanceof BoundedBuffer.Accepted)) {
                RuntimeException refused = failure(reply, buffer);
                done.completeExceptionally(refused);
                failStage(refused);
                return;
              }
              flush();
              pullIfRoom();
              finishIfDone();
            }
          };
      return Pair.create(logic, done);
    }
  }
}
