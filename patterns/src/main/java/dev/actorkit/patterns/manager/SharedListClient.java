package dev.actorkit.patterns.manager;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.Payload;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.core.call.Call;
import dev.actorkit.core.call.Callers;
import dev.actorkit.core.errors.RejectedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A proxy to a {@link SharedList}, Python's {@code ListProxy}; the same rules as {@link
 * SharedMapClient}: thread-safe, one atomic server step per call, values read are copies, calls
 * bounded by a timeout (default {@code actorkit.ask-timeout}), works on a list in another JVM.
 */
public final class SharedListClient {

  private final ActorRef<SharedList.Command> list;
  private final Callers callers;
  private final String name;

  /** Null, or the request id every write of this client is applied once under. */
  private final String requestId;

  private SharedListClient(ActorRef<SharedList.Command> list, ActorSystem<?> system) {
    this(list, Callers.get(system), null);
  }

  private SharedListClient(ActorRef<SharedList.Command> list, Callers callers, String requestId) {
    this.list = Objects.requireNonNull(list, "list");
    this.callers = callers;
    this.name = Callers.nameOf(list);
    this.requestId = requestId;
  }

  /**
   * This client, with every write applied at most once under {@code requestId} ({@link
   * SharedList.Once}): after a {@code TimedOutException} (the answer lost, the write perhaps
   * applied), retry the same call through {@code once(sameId)} and it is applied once in all,
   * answering what the first one did. Use a fresh id (a {@code UUID}) for each logical write; the
   * list remembers the last {@link SharedList.Settings#rememberedRequests()} ids. Reads are not
   * affected.
   *
   * @throws RejectedException if {@code requestId} is blank
   */
  public SharedListClient once(String requestId) {
    if (requestId == null || requestId.isBlank()) {
      throw new RejectedException(name, "a request id must not be blank");
    }
    return new SharedListClient(list, callers, requestId);
  }

  /**
   * Starts a shared list named {@code name} with these settings, as a daemon under the kit's
   * primitives branch.
   */
  public static SharedListClient create(ActorKit kit, String name, SharedList.Settings settings) {
    Objects.requireNonNull(settings, "settings");
    return new SharedListClient(
        kit.spawn(Branch.PRIMITIVES, name, SharedList.create(settings), SpawnOptions.daemon()),
        kit.system());
  }

  /** Starts a shared list named {@code name} with the default settings. */
  public static SharedListClient create(ActorKit kit, String name) {
    return create(kit, name, SharedList.Settings.defaults());
  }

  /** A proxy to an existing list, possibly in another JVM. */
  public static SharedListClient of(ActorRef<SharedList.Command> list, ActorSystem<?> system) {
    return new SharedListClient(list, system);
  }

  public ActorRef<SharedList.Command> ref() {
    return list;
  }

  /** Appends {@code value}; completes with its index. */
  public CompletionStage<Integer> appendAsync(Object value, Duration timeout) {
    Payload payload;
    try {
      payload = payload(value);
    } catch (RejectedException e) {
      return CompletableFuture.failedFuture(e);
    }
    return appending(payload, timeout).async();
  }

  /** Appends {@code value}; returns its index. */
  public int append(Object value) {
    return appending(payload(value), callers.defaultTimeout()).await();
  }

  private Call<Integer> appending(Payload payload, Duration timeout) {
    return call(
        timeout,
        "append",
        r -> new SharedList.Append(payload, r),
        SharedList.Appended.class,
        SharedList.Appended::index);
  }

  /**
   * The element at {@code index} (negative counts from the end); {@link RejectedException} if out
   * of range.
   */
  public Object get(int index) {
    return call(
            callers.defaultTimeout(),
            "get " + index,
            r -> new SharedList.Get(index, r),
            SharedList.Value.class,
            v -> v.value().value())
        .await();
  }

  /** Replaces the element at {@code index}; returns the one before. */
  public Object set(int index, Object value) {
    Payload payload = payload(value);
    return call(
            callers.defaultTimeout(),
            "set " + index,
            r -> new SharedList.Set(index, payload, r),
            SharedList.Previous.class,
            p -> p.previous().value())
        .await();
  }

  /** Applies {@code operation} to the element at {@code index} atomically. */
  public CompletionStage<SharedList.Updated> updateAsync(
      int index, Operation operation, Duration timeout) {
    return updating(index, operation, timeout).async();
  }

  private Call<SharedList.Updated> updating(int index, Operation operation, Duration timeout) {
    return call(
        timeout,
        "update " + index,
        r -> new SharedList.Update(index, operation, r),
        SharedList.Updated.class,
        Function.identity());
  }

  /** Adds {@code delta} to the number at {@code index} atomically; returns the new number. */
  public Number increment(int index, long delta) {
    return (Number)
        updating(index, Operation.Increment.by(delta), callers.defaultTimeout())
            .await()
            .value()
            .value();
  }

  public int size() {
    return status().size();
  }

  /** The list now: how many elements it holds (every client's {@code status()}). */
  public SharedList.SizeIs status() {
    return call(
            callers.defaultTimeout(),
            "size",
            SharedList.Size::new,
            SharedList.SizeIs.class,
            Function.identity())
        .await();
  }

  /** A copy of every element, as Java values. */
  public List<Object> snapshot() {
    return call(
            callers.defaultTimeout(),
            "snapshot",
            SharedList.GetSnapshot::new,
            SharedList.Elements.class,
            elements -> {
              List<Object> copy = new ArrayList<>(elements.elements().size());
              elements.elements().forEach(p -> copy.add(p.value()));
              return copy;
            })
        .await();
  }

  /**
   * Calls {@code callback} with every later change, in the order applied; close the subscription to
   * stop.
   */
  public Subscription subscribe(Consumer<SharedList.Changed> callback) {
    return Subscription.open(
        callers,
        list,
        SharedList.Changed.class,
        callback,
        (subscriber, subscribe) ->
            (ActorRef<SharedList.Reply> r) ->
                subscribe
                    ? new SharedList.Subscribe(subscriber, r)
                    : new SharedList.Unsubscribe(subscriber, r),
        SharedList.Subscribed.class);
  }

  private <S extends SharedList.Reply, V> Call<V> call(
      Duration timeout,
      String what,
      Function<ActorRef<SharedList.Reply>, SharedList.Command> message,
      Class<S> expected,
      Function<S, V> value) {
    Callers.Reading<SharedList.Reply, S> read = Callers.expect(expected, list);
    Function<ActorRef<SharedList.Reply>, SharedList.Command> sent =
        requestId == null ? message : message.andThen(this::onceIfWrite);
    return callers.ask(
        list, timeout, what + " on " + name, sent, reply -> value.apply(read.read(reply)));
  }

  private SharedList.Command onceIfWrite(SharedList.Command command) {
    return command instanceof SharedList.WriteCommand
        ? new SharedList.Once(requestId, command)
        : command;
  }

  private Payload payload(Object value) {
    try {
      return Payload.nested(value);
    } catch (IllegalArgumentException e) {
      throw new RejectedException(name, e.getMessage());
    }
  }
}
