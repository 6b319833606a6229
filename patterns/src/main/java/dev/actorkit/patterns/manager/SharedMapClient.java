package dev.actorkit.patterns.manager;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.patterns.pipe.Payload;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A proxy to a {@link SharedMap}, Python's {@code DictProxy}: thread-safe, and the same in the
 * JVM that hosts the map and in any other that has its reference (see the cluster module's
 * {@code ClusterNames}). Values are strings, numbers, byte arrays, {@code KitMessage}s and lists
 * of these; anything else is refused at the caller with {@link RejectedException}.
 *
 * <p>Every call is one atomic step of the server. Values read are copies: changing a list you got
 * from {@link #get} changes nothing on the server (it is unmodifiable, so you will notice). To
 * change a list stored under a key use {@link #append}: that is {@code d[k].append(x)} done
 * right. Blocking methods wait at most the given timeout, or {@code actorkit.ask-timeout}, and
 * throw {@code TimedOutException} after it (the request may still have been applied).
 */
public final class SharedMapClient {

  private final Calls<SharedMap.Command, SharedMap.Reply> calls;

  private SharedMapClient(ActorRef<SharedMap.Command> map, ActorSystem<?> system, Duration defaultTimeout) {
    this.calls = new Calls<>(map, system, defaultTimeout);
  }

  /** Starts a shared map named {@code name} as a daemon under the kit's primitives branch. */
  public static SharedMapClient create(ActorKit kit, String name) {
    ActorRef<SharedMap.Command> map =
        kit.spawn(Branch.PRIMITIVES, name, SharedMap.create(SharedMap.Settings.defaults()), SpawnOptions.daemon());
    return new SharedMapClient(map, kit.system(), kit.settings().askTimeout());
  }

  /** A proxy to an existing map, possibly in another JVM. */
  public static SharedMapClient of(ActorRef<SharedMap.Command> map, ActorSystem<?> system) {
    return new SharedMapClient(map, system, Calls.defaultTimeout(system));
  }

  public ActorRef<SharedMap.Command> ref() {
    return calls.server();
  }

  /** The value under {@code key}, or null. */
  public CompletionStage<Object> getAsync(String key, Duration timeout) {
    return calls.ask(SharedMap.Value.class, r -> new SharedMap.Get(key, r), timeout).thenApply(v -> valueOf(v.value()));
  }

  public Object get(String key) {
    return calls.await(getAsync(key, calls.defaultTimeout), calls.defaultTimeout, "get '" + key + "'");
  }

  /** Stores {@code value} under {@code key}; completes with the value before, or null. */
  public CompletionStage<Object> putAsync(String key, Object value, Duration timeout) {
    return withPayload(value)
        .thenCompose(p -> calls.ask(SharedMap.Previous.class, r -> new SharedMap.Put(key, p, r), timeout))
        .thenApply(prev -> valueOf(prev.previous()));
  }

  public Object put(String key, Object value) {
    return calls.await(putAsync(key, value, calls.defaultTimeout), calls.defaultTimeout, "put '" + key + "'");
  }

  /** Stores {@code value} only if {@code key} is absent; returns the value already there, or null if it stored. */
  public Object putIfAbsent(String key, Object value) {
    CompletionStage<Object> stage =
        withPayload(value)
            .thenCompose(p -> calls.ask(SharedMap.Previous.class, r -> new SharedMap.PutIfAbsent(key, p, r), calls.defaultTimeout))
            .thenApply(prev -> valueOf(prev.previous()));
    return calls.await(stage, calls.defaultTimeout, "putIfAbsent '" + key + "'");
  }

  /** Removes {@code key}; returns the value it had, or null. */
  public Object remove(String key) {
    CompletionStage<Object> stage =
        calls.ask(SharedMap.Previous.class, r -> new SharedMap.Remove(key, r), calls.defaultTimeout).thenApply(prev -> valueOf(prev.previous()));
    return calls.await(stage, calls.defaultTimeout, "remove '" + key + "'");
  }

  /** Applies {@code operation} to the entry atomically; completes with the outcome. */
  public CompletionStage<SharedMap.Updated> updateAsync(String key, Operation operation, Duration timeout) {
    return calls.ask(SharedMap.Updated.class, r -> new SharedMap.Update(key, operation, r), timeout);
  }

  /** Adds {@code delta} atomically (absent counts as 0); returns the new number. */
  public Number increment(String key, long delta) {
    SharedMap.Updated updated = calls.await(updateAsync(key, Operation.Increment.by(delta), calls.defaultTimeout), calls.defaultTimeout, "increment '" + key + "'");
    return (Number) updated.value().value();
  }

  /** Appends {@code item} to the list under {@code key} atomically (absent becomes a new list); returns the list now stored. */
  @SuppressWarnings("unchecked")
  public java.util.List<Object> append(String key, Object item) {
    Payload payload = payload(item);
    SharedMap.Updated updated = calls.await(updateAsync(key, new Operation.Append(payload), calls.defaultTimeout), calls.defaultTimeout, "append to '" + key + "'");
    return (java.util.List<Object>) updated.value().value();
  }

  /** Compare-and-set: stores {@code replacement} if the value equals {@code expected}; returns whether it did. */
  public boolean replaceIfEqual(String key, Object expected, Object replacement) {
    Operation op = new Operation.ReplaceIfEqual(payload(expected), payload(replacement));
    return calls.await(updateAsync(key, op, calls.defaultTimeout), calls.defaultTimeout, "replaceIfEqual '" + key + "'").applied();
  }

  public int size() {
    return calls.await(calls.ask(SharedMap.SizeIs.class, SharedMap.Size::new, calls.defaultTimeout), calls.defaultTimeout, "size").size();
  }

  /** A copy of every entry, in insertion order, as Java values. */
  public Map<String, Object> snapshot() {
    SharedMap.Entries entries =
        calls.await(calls.ask(SharedMap.Entries.class, SharedMap.GetSnapshot::new, calls.defaultTimeout), calls.defaultTimeout, "snapshot");
    Map<String, Object> copy = new LinkedHashMap<>();
    entries.entries().forEach((k, v) -> copy.put(k, v.value()));
    return copy;
  }

  /**
   * Calls {@code callback} with every later change, in the order applied, on a listener actor's
   * thread. Returns once the server has the subscription; close it to stop.
   */
  public Subscription subscribe(Consumer<SharedMap.Changed> callback) {
    ActorRef<Object> listener = Subscription.listener(calls.system(), SharedMap.Changed.class, callback);
    ActorRef<SharedMap.Changed> subscriber = listener.narrow();
    try {
      calls.await(calls.ask(SharedMap.Subscribed.class, r -> new SharedMap.Subscribe(subscriber, r), calls.defaultTimeout), calls.defaultTimeout, "subscribe");
    } catch (RuntimeException e) {
      Subscription.of(listener, () -> {}).close();
      throw e;
    }
    return Subscription.of(
        listener,
        () -> calls.await(calls.ask(SharedMap.Subscribed.class, r -> new SharedMap.Unsubscribe(subscriber, r), calls.defaultTimeout), calls.defaultTimeout, "unsubscribe"));
  }

  private CompletionStage<Payload> withPayload(Object value) {
    try {
      return CompletableFuture.completedFuture(payload(value));
    } catch (RejectedException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private Payload payload(Object value) {
    try {
      return Payload.nested(value);
    } catch (IllegalArgumentException e) {
      throw new RejectedException(dev.actorkit.core.Ask.targetName(calls.server()), e.getMessage());
    }
  }

  private static Object valueOf(Payload payload) {
    return payload == null ? null : payload.value();
  }
}
