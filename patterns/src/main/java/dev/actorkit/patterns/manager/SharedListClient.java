package dev.actorkit.patterns.manager;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Ask;
import dev.actorkit.core.Branch;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.patterns.pipe.Payload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A proxy to a {@link SharedList}, Python's {@code ListProxy}; the same rules as
 * {@link SharedMapClient}: thread-safe, one atomic server step per call, values read are copies,
 * calls bounded by a timeout (default {@code actorkit.ask-timeout}), works on a list in another JVM.
 */
public final class SharedListClient {

  private final Calls<SharedList.Command, SharedList.Reply> calls;

  private SharedListClient(ActorRef<SharedList.Command> list, ActorSystem<?> system, Duration defaultTimeout) {
    this.calls = new Calls<>(list, system, defaultTimeout);
  }

  /** Starts a shared list named {@code name} as a daemon under the kit's primitives branch. */
  public static SharedListClient create(ActorKit kit, String name) {
    ActorRef<SharedList.Command> list =
        kit.spawn(Branch.PRIMITIVES, name, SharedList.create(SharedList.Settings.defaults()), SpawnOptions.daemon());
    return new SharedListClient(list, kit.system(), kit.settings().askTimeout());
  }

  /** A proxy to an existing list, possibly in another JVM. */
  public static SharedListClient of(ActorRef<SharedList.Command> list, ActorSystem<?> system) {
    return new SharedListClient(list, system, Calls.defaultTimeout(system));
  }

  public ActorRef<SharedList.Command> ref() {
    return calls.server();
  }

  /** Appends {@code value}; completes with its index. */
  public CompletionStage<Integer> appendAsync(Object value, Duration timeout) {
    Payload payload = payload(value);
    return calls.ask(SharedList.Appended.class, r -> new SharedList.Append(payload, r), timeout).thenApply(SharedList.Appended::index);
  }

  /** Appends {@code value}; returns its index. */
  public int append(Object value) {
    return calls.await(appendAsync(value, calls.defaultTimeout), calls.defaultTimeout, "append");
  }

  /** The element at {@code index} (negative counts from the end); {@link RejectedException} if out of range. */
  public Object get(int index) {
    return calls.await(calls.ask(SharedList.Value.class, r -> new SharedList.Get(index, r), calls.defaultTimeout), calls.defaultTimeout, "get " + index)
        .value()
        .value();
  }

  /** Replaces the element at {@code index}; returns the one before. */
  public Object set(int index, Object value) {
    Payload payload = payload(value);
    return calls.await(calls.ask(SharedList.Previous.class, r -> new SharedList.Set(index, payload, r), calls.defaultTimeout), calls.defaultTimeout, "set " + index)
        .previous()
        .value();
  }

  /** Applies {@code operation} to the element at {@code index} atomically. */
  public CompletionStage<SharedList.Updated> updateAsync(int index, Operation operation, Duration timeout) {
    return calls.ask(SharedList.Updated.class, r -> new SharedList.Update(index, operation, r), timeout);
  }

  /** Adds {@code delta} to the number at {@code index} atomically; returns the new number. */
  public Number increment(int index, long delta) {
    return (Number) calls.await(updateAsync(index, Operation.Increment.by(delta), calls.defaultTimeout), calls.defaultTimeout, "increment " + index).value().value();
  }

  public int size() {
    return calls.await(calls.ask(SharedList.SizeIs.class, SharedList.Size::new, calls.defaultTimeout), calls.defaultTimeout, "size").size();
  }

  /** A copy of every element, as Java values. */
  public List<Object> snapshot() {
    SharedList.Elements elements =
        calls.await(calls.ask(SharedList.Elements.class, SharedList.GetSnapshot::new, calls.defaultTimeout), calls.defaultTimeout, "snapshot");
    List<Object> copy = new ArrayList<>(elements.elements().size());
    elements.elements().forEach(p -> copy.add(p.value()));
    return copy;
  }

  /** Calls {@code callback} with every later change, in the order applied; close the subscription to stop. */
  public Subscription subscribe(Consumer<SharedList.Changed> callback) {
    ActorRef<Object> listener = Subscription.listener(calls.system(), SharedList.Changed.class, callback);
    ActorRef<SharedList.Changed> subscriber = listener.narrow();
    try {
      calls.await(calls.ask(SharedList.Subscribed.class, r -> new SharedList.Subscribe(subscriber, r), calls.defaultTimeout), calls.defaultTimeout, "subscribe");
    } catch (RuntimeException e) {
      Subscription.of(listener, () -> {}).close();
      throw e;
    }
    return Subscription.of(
        listener,
        () -> calls.await(calls.ask(SharedList.Subscribed.class, r -> new SharedList.Unsubscribe(subscriber, r), calls.defaultTimeout), calls.defaultTimeout, "unsubscribe"));
  }

  private Payload payload(Object value) {
    try {
      return Payload.nested(value);
    } catch (IllegalArgumentException e) {
      throw new RejectedException(Ask.targetName(calls.server()), e.getMessage());
    }
  }
}
