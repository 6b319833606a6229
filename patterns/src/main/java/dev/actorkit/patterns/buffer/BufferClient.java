package dev.actorkit.patterns.buffer;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Ask;
import dev.actorkit.core.Branch;
import dev.actorkit.core.KitClock;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.core.errors.ClosedException;
import dev.actorkit.core.errors.TimedOutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link BoundedBuffer} for plain Java, the way {@code queue.Queue} is used in Python:
 * {@code buffer.put(item, timeout)} and {@code buffer.take(timeout)} block, the {@code ...Async}
 * forms return a {@link CompletionStage}.
 *
 * <p>Every method takes a timeout in story time, or defaults to the kit's
 * {@code actorkit.ask-timeout}. The buffer's own timer enforces it: a put that times out put
 * nothing ({@link TimedOutException}), a take that times out took nothing. Ordering and
 * fairness are the buffer's: FIFO for items, producers and consumers alike. A put after
 * {@link #close()} throws {@link dev.actorkit.core.errors.RejectedException}; a take on a closed
 * and drained buffer throws {@link ClosedException}.
 *
 * <p>In at-least-once mode, use {@link #takeDelivery(Duration)}: the item is held by this
 * client's owner actor until the returned {@link Delivery} is closed (acknowledged); if the
 * client is {@linkplain #release() released} first, the item goes back to the head of the buffer.
 * All methods are thread-safe.
 */
public final class BufferClient<T> {

  /** Added to a real-time ask timeout so that the buffer's own {@code TimedOut} normally wins. */
  private static final Duration MARGIN = Duration.ofSeconds(3);

  private static final AtomicLong COURIERS = new AtomicLong();

  private final ActorRef<BoundedBuffer.Command<T>> buffer;
  private final ActorSystem<?> system;
  private final Duration defaultTimeout;
  private ActorRef<Object> courier;

  private BufferClient(ActorRef<BoundedBuffer.Command<T>> buffer, ActorSystem<?> system, Duration defaultTimeout) {
    this.buffer = buffer;
    this.system = system;
    this.defaultTimeout = defaultTimeout;
  }

  /** Spawns a buffer named {@code name} under the kit's primitives branch, as a daemon. */
  public static <T> BufferClient<T> create(ActorKit kit, String name, BoundedBuffer.Settings settings) {
    ActorRef<BoundedBuffer.Command<T>> ref =
        kit.spawn(Branch.PRIMITIVES, name, BoundedBuffer.<T>create(settings), SpawnOptions.daemon());
    return new BufferClient<>(ref, kit.system(), kit.settings().askTimeout());
  }

  /** A client for a buffer that already runs, with {@code defaultTimeout} (story time) for calls without one. */
  public static <T> BufferClient<T> of(
      ActorRef<BoundedBuffer.Command<T>> buffer, ActorSystem<?> system, Duration defaultTimeout) {
    return new BufferClient<>(buffer, system, defaultTimeout);
  }

  /** The buffer actor, for actors and streams. */
  public ActorRef<BoundedBuffer.Command<T>> ref() {
    return buffer;
  }

  /** Puts {@code item}, waiting up to {@code timeout} for room. Completes with the level right after. */
  public CompletionStage<BoundedBuffer.Accepted<T>> putAsync(T item, Duration timeout) {
    return ask(BoundedBuffer.Accepted.class, replyTo -> new BoundedBuffer.Offer<>(item, timeout, replyTo), timeout);
  }

  /** Blocking {@link #putAsync}: returns once the item is in the buffer. */
  public void put(T item, Duration timeout) {
    Ask.await(putAsync(item, timeout), wait(timeout), "putting into " + name());
  }

  /** {@link #put(Object, Duration)} with the default timeout. */
  public void put(T item) {
    put(item, defaultTimeout);
  }

  /**
   * Takes the next item, waiting up to {@code timeout} for one. Fails with {@link ClosedException}
   * when the buffer is closed and drained. In at-least-once mode the item counts as acknowledged
   * at once; use {@link #takeDelivery} to acknowledge after processing.
   */
  public CompletionStage<T> takeAsync(Duration timeout) {
    return takeBatchAsync(1, timeout).thenApply(items -> items.get(0));
  }

  /** Blocking {@link #takeAsync}. */
  public T take(Duration timeout) {
    return Ask.await(takeAsync(timeout), wait(timeout), "taking from " + name());
  }

  /** {@link #take(Duration)} with the default timeout. */
  public T take() {
    return take(defaultTimeout);
  }

  /** Takes between 1 and {@code max} items at once, waiting up to {@code timeout} for the first. */
  public CompletionStage<List<T>> takeBatchAsync(int max, Duration timeout) {
    return this.<BoundedBuffer.Taken<T>>takeReply(max, timeout)
        .thenApply(
            taken -> {
              buffer.tell(new BoundedBuffer.Ack<>(taken.deliveryId()));
              return taken.items();
            });
  }

  /**
   * At-least-once take: the item stays in flight, counted against the capacity, until the
   * returned handle is closed. {@code try (var d = buffer.takeDelivery(t)) { use(d.item()); }}
   * acknowledges after the block; if this client is released first, the item is handed to
   * another consumer.
   */
  public Delivery<T> takeDelivery(Duration timeout) {
    BoundedBuffer.Taken<T> taken = Ask.await(takeReply(1, timeout), wait(timeout), "taking from " + name());
    return new Delivery<>(taken.item(), taken.deliveryId(), buffer);
  }

  /** An item taken at least once; {@link #close()} acknowledges it. */
  public static final class Delivery<T> implements AutoCloseable {
    private final T item;
    private final long deliveryId;
    private final ActorRef<BoundedBuffer.Command<T>> buffer;

    private Delivery(T item, long deliveryId, ActorRef<BoundedBuffer.Command<T>> buffer) {
      this.item = item;
      this.deliveryId = deliveryId;
      this.buffer = buffer;
    }

    public T item() {
      return item;
    }

    /** Acknowledges the item; safe to call more than once. */
    @Override
    public void close() {
      buffer.tell(new BoundedBuffer.Ack<>(deliveryId));
    }
  }

  /** How full the buffer is now. */
  public BoundedBuffer.SizeIs<T> sizeInfo() {
    return Ask.await(
        this.<BoundedBuffer.SizeIs<T>>ask(BoundedBuffer.SizeIs.class, BoundedBuffer.Size::new, defaultTimeout), wait(defaultTimeout), "size of " + name());
  }

  /** Items held now (Python's {@code qsize()}). */
  public int size() {
    return sizeInfo().size();
  }

  /** Python's {@code task_done()}. Throws {@code RejectedException} if more are done than were put. */
  public void taskDone() {
    Ask.await(
        ask(BoundedBuffer.TasksDone.class, replyTo -> new BoundedBuffer.TaskDone<>(1, replyTo), defaultTimeout),
        wait(defaultTimeout),
        "task_done on " + name());
  }

  /** Python's {@code join()}, bounded: returns once every item put is done; {@link TimedOutException} otherwise. */
  public void join(Duration timeout) {
    Ask.await(
        ask(BoundedBuffer.Joined.class, replyTo -> new BoundedBuffer.Join<>(timeout, replyTo), timeout),
        wait(timeout),
        "joining " + name());
  }

  /** Closes the buffer for producers; returns how many items are left for consumers to drain. */
  public int close() {
    return Ask.await(
            this.<BoundedBuffer.Closed<T>>ask(BoundedBuffer.Closed.class, BoundedBuffer.Close::new, defaultTimeout),
            wait(defaultTimeout),
            "closing " + name())
        .remaining();
  }

  /** Stops this client's owner actor, if it has one; deliveries not yet acknowledged go back to the buffer. */
  public synchronized void release() {
    if (courier != null) {
      courier.tell(BufferCourier.Stop.INSTANCE);
      courier = null;
    }
  }

  private <R extends BoundedBuffer.Taken<T>> CompletionStage<R> takeReply(int max, Duration timeout) {
    CompletableFuture<BoundedBuffer.Reply<T>> reply = new CompletableFuture<>();
    courier().tell(new BufferCourier.Call<T>(replyTo -> new BoundedBuffer.Request<>(max, timeout, replyTo), reply));
    return reply.thenApply(this::asTaken);
  }

  @SuppressWarnings("unchecked")
  private <R extends BoundedBuffer.Taken<T>> R asTaken(BoundedBuffer.Reply<T> reply) {
    if (reply instanceof BoundedBuffer.Taken<T> taken) {
      return (R) taken;
    }
    if (reply instanceof BoundedBuffer.EndOfStream<T>) {
      throw new CompletionException(new ClosedException(name() + " is closed and drained"));
    }
    var mapped = Ask.exceptionFor(reply, name());
    throw new CompletionException(mapped != null ? mapped : new IllegalStateException(name() + " answered " + reply));
  }

  private synchronized ActorRef<Object> courier() {
    if (courier == null) {
      courier =
          system.systemActorOf(
              BufferCourier.create(buffer), "buffer-client-" + COURIERS.incrementAndGet(), Props.empty());
    }
    return courier;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private <S> CompletionStage<S> ask(
      Class expected, akka.japi.function.Function<ActorRef<BoundedBuffer.Reply<T>>, BoundedBuffer.Command<T>> message, Duration timeout) {
    return (CompletionStage<S>) Ask.askFor(expected, buffer, message, wait(timeout), system.scheduler());
  }

  private Duration wait(Duration storyTimeout) {
    return KitClock.get(system).toReal(storyTimeout).plus(MARGIN);
  }

  private String name() {
    return Ask.targetName(buffer);
  }
}
