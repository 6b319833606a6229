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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A proxy to a {@link SharedMap}, Python's {@code DictProxy}: thread-safe, and the same in the JVM
 * that hosts the map and in any other that has its reference (see the cluster module's {@code
 * ClusterNames}). Values are strings, numbers, byte arrays, {@code KitMessage}s and lists of these;
 * anything else is refused at the caller with {@link RejectedException}.
 *
 * <p>Every call is one atomic step of the server. Values read are copies: changing a list you got
 * from {@link #get} changes nothing on the server (it is unmodifiable, so you will notice). To
 * change a list stored under a key use {@link #append}: that is {@code d[k].append(x)} done right.
 * Blocking methods wait at most the given timeout, or {@code actorkit.ask-timeout}, plus the margin
 * of {@link Callers}, and throw {@code TimedOutException} after it (the request may still have been
 * applied).
 */
public final class SharedMapClient {

  private final ActorRef<SharedMap.Command> map;
  private final Callers callers;
  private final String name;

  /** Null, or the request id every write of this client is applied once under. */
  private final String requestId;

  private SharedMapClient(ActorRef<SharedMap.Command> map, ActorSystem<?> system) {
    this(map, Callers.get(system), null);
  }

  private SharedMapClient(ActorRef<SharedMap.Command> map, Callers callers, String requestId) {
    this.map = Objects.requireNonNull(map, "map");
    this.callers = callers;
    this.name = Callers.nameOf(map);
    this.requestId = requestId;
  }

  /**
   * This client, with every write applied at most once under {@code requestId} ({@link
   * SharedMap.Once}): after a {@code TimedOutException} (the answer lost, the write perhaps
   * applied), retry the same call through {@code once(sameId)} and it is applied once in all,
   * answering what the first one did. Use a fresh id (a {@code UUID}) for each logical write; the
   * map remembers the last {@link SharedMap.Settings#rememberedRequests()} ids. Reads are not
   * affected.
   *
   * @throws RejectedException if {@code requestId} is blank
   */
  public SharedMapClient once(String requestId) {
    if (requestId == null || requestId.isBlank()) {
      throw new RejectedException(name, "a request id must not be blank");
    }
    return new SharedMapClient(map, callers, requestId);
  }

  /**
   * Starts a shared map named {@code name} with these settings, as a daemon under the kit's
   * primitives branch.
   */
  public static SharedMapClient create(ActorKit kit, String name, SharedMap.Settings settings) {
    Objects.requireNonNull(settings, "settings");
    return new SharedMapClient(
        kit.spawn(Branch.PRIMITIVES, name, SharedMap.create(settings), SpawnOptions.daemon()),
        kit.system());
  }

  /** Starts a shared map named {@code name} with the default settings. */
  public static SharedMapClient create(ActorKit kit, String name) {
    return create(kit, name, SharedMap.Settings.defaults());
  }

  /** A proxy to an existing map, possibly in another JVM. */
  public static SharedMapClient of(ActorRef<SharedMap.Command> map, ActorSystem<?> system) {
    return new SharedMapClient(map, system);
  }

  public ActorRef<SharedMap.Command> ref() {
    return map;
  }

  /** The value under {@code key}, or null. */
  public CompletionStage<Object> getAsync(String key, Duration timeout) {
    return getting(key, timeout).async();
  }

  public Object get(String key) {
    return getting(key, callers.defaultTimeout()).await();
  }

  private Call<Object> getting(String key, Duration timeout) {
    return call(
        timeout,
        "get '" + key + "'",
        r -> new SharedMap.Get(key, r),
        SharedMap.Value.class,
        v -> valueOf(v.value()));
  }

  /** Stores {@code value} under {@code key}; completes with the value before, or null. */
  public CompletionStage<Object> putAsync(String key, Object value, Duration timeout) {
    Payload payload;
    try {
      payload = payload(value);
    } catch (RejectedException e) {
      return CompletableFuture.failedFuture(e);
    }
    return putting(key, payload, timeout).async();
  }

  public Object put(String key, Object value) {
    return putting(key, payload(value), callers.defaultTimeout()).await();
  }

  private Call<Object> putting(String key, Payload payload, Duration timeout) {
    return call(
        timeout,
        "put '" + key + "'",
        r -> new SharedMap.Put(key, payload, r),
        SharedMap.Previous.class,
        p -> valueOf(p.previous()));
  }

  /**
   * Stores {@code value} only if {@code key} is absent; returns the value already there, or null if
   * it stored.
   */
  public Object putIfAbsent(String key, Object value) {
    Payload payload = payload(value);
    return call(
            callers.defaultTimeout(),
            "putIfAbsent '" + key + "'",
            r -> new SharedMap.PutIfAbsent(key, payload, r),
            SharedMap.Previous.class,
            p -> valueOf(p.previous()))
        .await();
  }

  /** Removes {@code key}; returns the value it had, or null. */
  public Object remove(String key) {
    return call(
            callers.defaultTimeout(),
            "remove '" + key + "'",
            r -> new SharedMap.Remove(key, r),
            SharedMap.Previous.class,
            p -> valueOf(p.previous()))
        .await();
  }

  /** Applies {@code operation} to the entry atomically; completes with the outcome. */
  public CompletionStage<SharedMap.Updated> updateAsync(
      String key, Operation operation, Duration timeout) {
    return updating(key, operation, timeout).async();
  }

  private Call<SharedMap.Updated> updating(String key, Operation operation, Duration timeout) {
    return call(
        timeout,
        "update '" + key + "'",
        r -> new SharedMap.Update(key, operation, r),
        SharedMap.Updated.class,
        Function.identity());
  }

  /** Adds {@code delta} atomically (absent counts as 0); returns the new number. */
  public Number increment(String key, long delta) {
    return (Number)
        updating(key, Operation.Increment.by(delta), callers.defaultTimeout())
            .await()
            .value()
            .value();
  }

  /**
   * Appends {@code item} to the list under {@code key} atomically (absent becomes a new list);
   * returns the list now stored.
   */
  @SuppressWarnings("unchecked")
  public List<Object> append(String key, Object item) {
    return (List<Object>)
        updating(key, new Operation.Append(payload(item)), callers.defaultTimeout())
            .await()
            .value()
            .value();
  }

  /**
   * Compare-and-set: stores {@code replacement} if the value equals {@code expected}; returns
   * whether it did.
   */
  public boolean replaceIfEqual(String key, Object expected, Object replacement) {
    Operation op = new Operation.ReplaceIfEqual(payload(expected), payload(replacement));
    return updating(key, op, callers.defaultTimeout()).await().applied();
  }

  public int size() {
    return call(
            callers.defaultTimeout(),
            "size",
            SharedMap.Size::new,
            SharedMap.SizeIs.class,
            SharedMap.SizeIs::size)
        .await();
  }

  /** A copy of every entry, in insertion order, as Java values. */
  public Map<String, Object> snapshot() {
    return call(
            callers.defaultTimeout(),
            "snapshot",
            SharedMap.GetSnapshot::new,
            SharedMap.Entries.class,
            entries -> {
              Map<String, Object> copy = new LinkedHashMap<>();
              entries.entries().forEach((k, v) -> copy.put(k, v.value()));
              return copy;
            })
        .await();
  }

  /** The map now: how many entries it holds (every client's {@code status()}). */
  public SharedMap.SizeIs status() {
    return call(
            callers.defaultTimeout(),
            "the status",
            SharedMap.Size::new,
            SharedMap.SizeIs.class,
            Function.identity())
        .await();
  }

  /**
   * Calls {@code callback} with every later change, in the order applied, on a listener actor on
   * the kit's blocking dispatcher. Returns once the server has the subscription; close it to stop.
   */
  public Subscription subscribe(Consumer<SharedMap.Changed> callback) {
    return Subscription.open(
        callers,
        map,
        SharedMap.Changed.class,
        callback,
        (subscriber, subscribe) ->
            (ActorRef<SharedMap.Reply> r) ->
                subscribe
                    ? new SharedMap.Subscribe(subscriber, r)
                    : new SharedMap.Unsubscribe(subscriber, r),
        SharedMap.Subscribed.class);
  }

  private <S extends SharedMap.Reply, V> Call<V> call(
      Duration timeout,
      String what,
      Function<ActorRef<SharedMap.Reply>, SharedMap.Command> message,
      Class<S> expected,
      Function<S, V> value) {
    Callers.Reading<SharedMap.Reply, S> read = Callers.expect(expected, map);
    Function<ActorRef<SharedMap.Reply>, SharedMap.Command> sent =
        requestId == null ? message : message.andThen(this::onceIfWrite);
    return callers.ask(
        map, timeout, what + " on " + name, sent, reply -> value.apply(read.read(reply)));
  }

  private SharedMap.Command onceIfWrite(SharedMap.Command command) {
    return command instanceof SharedMap.WriteCommand
        ? new SharedMap.Once(requestId, command)
        : command;
  }

  private Payload payload(Object value) {
    try {
      return Payload.nested(value);
    } catch (IllegalArgumentException e) {
      throw new RejectedException(name, e.getMessage());
    }
  }

  private static Object valueOf(Payload payload) {
    return payload == null ? null : payload.value();
  }
}
