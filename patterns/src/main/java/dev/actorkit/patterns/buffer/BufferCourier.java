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
 * A long-lived owner actor that talks to a buffer on behalf of code that is not an actor (a
 * stream stage, a plain-Java client): it sends one call at a time with itself as {@code replyTo}
 * and completes the caller's future with the reply.
 *
 * <p>Why not an ask: an ask's temporary actor stops as soon as it has its answer, and a buffer in
 * at-least-once mode treats the consumer stopping as its death and puts the delivery back. The
 * courier lives until it is stopped, so it holds deliveries until they are acknowledged, and calls
 * without a deadline ({@code PutAll}, {@code Take}) never race an ask timeout. If the buffer stops,
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
    return Behaviors.setup(context -> new BufferCourier<>(context, buffer));
  }

  private final ActorRef<BoundedBuffer.Command<T>> buffer;
  private final ArrayDeque<Call<T>> waiting = new ArrayDeque<>();
  private Call<T> current;

  private BufferCourier(ActorContext<Object> context, ActorRef<BoundedBuffer.Command<T>> buffer) {
    super(context);
    this.buffer = buffer;
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
    if (current != null) {
      Call<T> answered = current;
      current = null;
      answered.result().complete(reply);
    }
    sendNext();
    return this;
  }

  private void sendNext() {
    if (current == null && !waiting.isEmpty()) {
      current = waiting.pollFirst();
      ActorRef<BoundedBuffer.Reply<T>> self = getContext().getSelf().narrow();
      buffer.tell(current.command().apply(self));
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
    if (current != null) {
      current.result().completeExceptionally(new ClosedException(why));
      current = null;
    }
    while (!waiting.isEmpty()) {
      waiting.pollFirst().result().completeExceptionally(new ClosedException(why));
    }
  }
}
