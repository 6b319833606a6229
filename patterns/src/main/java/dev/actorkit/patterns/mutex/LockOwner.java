package dev.actorkit.patterns.mutex;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.core.errors.ClosedException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A plain-Java owner of locks: a small actor that stands for the caller in every request, so a
 * mutex can watch it and release what it holds when it stops.
 *
 * <p>One owner is one line of control, like one Python thread holding an {@code RLock}: its
 * requests are sent one after the other, each once the previous one was answered, so an owner
 * waiting for one lock sends nothing else until that wait ends. It may hold several mutexes at
 * once (which is how two owners can deadlock, and how the detector names them). {@link #close()}
 * stops the actor: every mutex it still holds is released by death watch and its waits are
 * dropped; requests not yet answered fail with {@link ClosedException}.
 */
public final class LockOwner implements AutoCloseable {

  private static final AtomicLong ids = new AtomicLong();

  private final String name;
  private final ActorRef<Message> actor;
  private final Set<String> revoked = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private LockOwner(ActorSystem<?> system, String name) {
    this.name = name;
    this.actor = system.systemActorOf(behavior(revoked), name, Props.empty());
  }

  /**
   * A new owner named {@code name} (the name the deadlock detector shows); the name must be a
   * valid actor name not used by another live owner of this system.
   */
  public static LockOwner create(ActorSystem<?> system, String name) {
    return new LockOwner(Objects.requireNonNull(system, "system"), Objects.requireNonNull(name, "name"));
  }

  /** A new owner with a generated name, for a single acquire. */
  static LockOwner anonymous(ActorSystem<?> system) {
    return new LockOwner(system, "lock-owner-" + ids.incrementAndGet());
  }

  /** The name the owner was created with. */
  public String name() {
    return name;
  }

  /** The actor that stands for this owner in every request. */
  public ActorRef<?> ref() {
    return actor;
  }

  /** Whether hold {@code token} of {@code mutex} was revoked by its lease (as far as this owner has been told). */
  public boolean isRevoked(ActorRef<Mutex.Command> mutex, long token) {
    return revoked.contains(key(mutex, token));
  }

  /**
   * Sends the request {@code build} makes (given this owner's reply address) to {@code mutex} once
   * every earlier request of this owner was answered; completes with the answer.
   */
  CompletionStage<Mutex.Reply> request(ActorRef<Mutex.Command> mutex, Function<ActorRef<Mutex.Reply>, Mutex.Command> build) {
    CompletableFuture<Mutex.Reply> answer = new CompletableFuture<>();
    if (closed) {
      answer.completeExceptionally(new ClosedException("the lock owner " + name + " is closed"));
      return answer;
    }
    actor.tell(new Send(mutex, build, answer));
    return answer;
  }

  /** Stops the owner; the mutexes it holds are released by death watch. */
  @Override
  public void close() {
    closed = true;
    actor.tell(Stop.INSTANCE);
  }

  private static String key(ActorRef<?> mutex, long token) {
    return mutex.path() + "#" + token;
  }

  private sealed interface Message {}

  private record Send(ActorRef<Mutex.Command> mutex, Function<ActorRef<Mutex.Reply>, Mutex.Command> build, CompletableFuture<Mutex.Reply> answer)
      implements Message {}

  private record Answer(Mutex.Reply reply) implements Message {}

  private enum Stop implements Message {
    INSTANCE
  }

  private static Behavior<Message> behavior(Set<String> revoked) {
    return Behaviors.setup(
        context -> {
          ActorRef<Mutex.Reply> replyTo = context.messageAdapter(Mutex.Reply.class, Answer::new);
          ArrayDeque<Send> queue = new ArrayDeque<>();
          return Behaviors.receive(Message.class)
              .onMessage(Send.class, send -> onSend(send, queue, replyTo))
              .onMessage(Answer.class, answer -> onAnswer(answer, queue, replyTo, revoked))
              .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
              .onSignal(PostStop.class, signal -> onStopped(queue))
              .build();
        });
  }

  private static Behavior<Message> onSend(Send send, ArrayDeque<Send> queue, ActorRef<Mutex.Reply> replyTo) {
    queue.addLast(send);
    if (queue.size() == 1) {
      send.mutex().tell(send.build().apply(replyTo));
    }
    return Behaviors.same();
  }

  private static Behavior<Message> onAnswer(Answer answer, ArrayDeque<Send> queue, ActorRef<Mutex.Reply> replyTo, Set<String> revoked) {
    if (answer.reply() instanceof Mutex.Revoked lost) {
      revoked.add(key(lost.mutex(), lost.token()));
      return Behaviors.same();
    }
    Send done = queue.pollFirst();
    if (done != null) {
      done.answer().complete(answer.reply());
    }
    Send next = queue.peekFirst();
    if (next != null) {
      next.mutex().tell(next.build().apply(replyTo));
    }
    return Behaviors.same();
  }

  private static Behavior<Message> onStopped(ArrayDeque<Send> queue) {
    for (Send send : queue) {
      send.answer().completeExceptionally(new ClosedException("the lock owner stopped before the mutex answered"));
    }
    queue.clear();
    return Behaviors.same();
  }
}
