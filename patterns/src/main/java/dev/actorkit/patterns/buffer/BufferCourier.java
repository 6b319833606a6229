package dev.actorkit.patterns.buffer;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import dev.actorkit.core.errors.ClosedException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A long-lived owner actor that talks to a buffer on behalf of plain-Java code (the
 * {@link BufferClient}'s takes; stream stages use their own stage actor instead): it sends calls with itself as {@code replyTo}, at most
 * {@code window} at a time, and completes each caller's future with its reply. The buffer answers
 * one waiter's calls in the order they were made (it serves producers and consumers FIFO and every
 * call here of one kind carries the same deadline), so replies are matched to calls in order.
 *
 * <p>Why not an ask: an ask's temporary actor stops as soon as it has its answer, and a buffer in
 * at-least-once mode treats the consumer stopping as its death and puts the delivery back. The
 * courier lives until it is stopped, so it holds deliveries until they are acknowledged. If the buffer stops,
 * every pending call fails with {@link ClosedException}. Calls are sent in the order they arrive.
 */
final class BufferCourier<T> extends AbstractBehavior<Object> {

  /** Sends the command built from the courier's reference and completes {@code result} with the reply. */
  record Call<T>(
      Function<ActorRef<BoundedBuffer.Reply<T>>, BoundedBuffer.Command<T>> command,
      CompletableFuture<BoundedBuffer.Reply<T>> result) {}

  /** Stops the courier; calls not yet answered fail. */
  enum Stop {
    INSTANCE
  }

  private record BufferStopped() {}

  static <T> Behavior<Object> create(ActorRef<BoundedBuffer.Command<T>> buffer) {
    return create(buffer, 1);
  }

  static <T> Behavior<Object> create(ActorRef<BoundedBuffer.Command<T>> buffer, int window) {
    return Behaviors.setup(context -> new BufferCourier<>(context, buffer, window));
  }

  private final ActorRef<BoundedBuffer.Command<T>> buffer;
  private final int window;
  private final ArrayDeque<Call<T>> waiting = new ArrayDeque<>();
  private final ArrayDeque<Call<T>> inFlight = new ArrayDeque<>();

  private BufferCourier(ActorContext<Object> context, ActorRef<BoundedBuffer.Command<T>> buffer, int window) {
    super(context);
    this.buffer = buffer;
    this.window = window;
    context.watchWith(buffer, new BufferStopped());
  }

  @Override
  @SuppressWarnings("unchecked")
  public Receive<Object> createReceive() {
    return newReceiveBuilder()
        .onMessage(Call.class, call -> onCall((Call<T>) call))
        .onMessage(BoundedBuffer.Reply.class, reply -> onReply((BoundedBuffer.Reply<T>) reply))
        .onMessage(BufferStopped.class, stopped -> onBufferStopped())
        .onMessageEquals(Stop.INSTANCE, this::onStop)
        .build();
  }

  private Behavior<Object> onCall(Call<T> call) {
    waiting.addLast(call);
    sendNext();
    return this;
  }

  private Behavior<Object> onReply(BoundedBuffer.Reply<T> reply) {
    Call<T> answered = inFlight.pollFirst();
    if (answered != null) {
      answered.result().complete(reply);
    }
    sendNext();
    return this;
  }

  private void sendNext() {
    while (inFlight.size() < window && !waiting.isEmpty()) {
      Call<T> call = waiting.pollFirst();
      inFlight.addLast(call);
      ActorRef<BoundedBuffer.Reply<T>> self = getContext().getSelf().narrow();
      buffer.tell(call.command().apply(self));
    }
  }

  private Behavior<Object> onBufferStopped() {
    failAll("the buffer " + buffer.path() + " has stopped");
    return Behaviors.stopped();
  }

  private Behavior<Object> onStop() {
    failAll("the buffer's courier was stopped");
    return Behaviors.stopped();
  }

  private void failAll(String why) {
    while (!inFlight.isEmpty()) {
      inFlight.pollFirst().result().completeExceptionally(new ClosedException(why));
    }
    while (!waiting.isEmpty()) {
      waiting.pollFirst().result().completeExceptionally(new ClosedException(why));
    }
  }
}
