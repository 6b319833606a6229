package dev.actorkit.patterns.buffer;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.core.call.Call;
import dev.actorkit.core.call.Callers;
import dev.actorkit.core.call.Handle;
import dev.actorkit.core.call.StandIn;
import dev.actorkit.core.errors.ClosedException;
import dev.actorkit.core.errors.TimedOutException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A {@link BoundedBuffer} for plain Java, the way {@code queue.Queue} is used in Python: {@code
 * buffer.put(item, timeout)} and {@code buffer.take(timeout)} block, the {@code ...Async} forms
 * return a {@link CompletionStage}.
 *
 * <p>Every method takes a timeout in story time, or defaults to the kit's {@code
 * actorkit.ask-timeout}. The buffer's own timer enforces it: a put that times out put nothing
 * ({@link TimedOutException}), a take that times out took nothing. Ordering and fairness are the
 * buffer's: FIFO for items, producers and consumers alike. A put after {@link #close()} throws
 * {@link dev.actorkit.core.errors.RejectedException}; a take on a closed and drained buffer throws
 * {@link ClosedException}.
 *
 * <p><b>Callers that walk away lose nothing.</b> Each call is made by its own stand-in (see {@link
 * Callers}), so one client can be shared by any number of threads, and no call waits behind
 * another's. A take holds its items in flight until the caller has them; a caller that walks away
 * first (interrupted, cancelled stage, timed out with the items on their way) leaves them at the
 * head of the buffer for the next consumer, in order. A put that walks away while it waits for room
 * is withdrawn from the queue of producers, before anything the same thread sends the buffer next;
 * a blocking put that is interrupted learns whether its item had been admitted first (then it
 * returns normally, with the interrupt flag set) or not (then it throws). A cancelled {@code
 * putAsync} whose item was admitted just before the cancel reached the buffer stays admitted: an
 * item in the buffer cannot be taken back.
 *
 * <p>In at-least-once mode, use {@link #takeDelivery(Duration)}: the item stays in flight until the
 * returned {@link Delivery} is closed (acknowledged); if the delivery is never closed and {@link
 * #release()} is called, or the kit closes, the item goes back to the head of the buffer. All
 * methods are thread-safe.
 */
public final class BufferClient<T> {

  private final ActorRef<BoundedBuffer.Command<T>> buffer;
  private final Callers callers;
  private final String name;

  /** The stand-ins of deliveries handed out and not yet acknowledged, for {@link #release()}. */
  private final Set<StandIn> openDeliveries = ConcurrentHashMap.newKeySet();

  private BufferClient(ActorRef<BoundedBuffer.Command<T>> buffer, ActorSystem<?> system) {
    this.buffer = Objects.requireNonNull(buffer, "buffer");
    this.callers = Callers.get(system);
    this.name = Callers.nameOf(buffer);
  }

  /** Spawns a buffer named {@code name} under the kit's primitives branch, as a daemon. */
  public static <T> BufferClient<T> create(
      ActorKit kit, String name, BoundedBuffer.Settings settings) {
    Objects.requireNonNull(settings, "settings");
    return new BufferClient<>(
        kit.spawn(
            Branch.PRIMITIVES, name, BoundedBuffer.<T>create(settings), SpawnOptions.daemon()),
        kit.system());
  }

  /**
   * A client for a buffer that already runs (calls without a timeout wait {@code
   * actorkit.ask-timeout}).
   */
  public static <T> BufferClient<T> of(
      ActorRef<BoundedBuffer.Command<T>> buffer, ActorSystem<?> system) {
    return new BufferClient<>(buffer, system);
  }

  /** The buffer actor, for actors and streams. */
  public ActorRef<BoundedBuffer.Command<T>> ref() {
    return buffer;
  }

  /**
   * Puts {@code item}, waiting up to {@code timeout} for room. Completes with the level right
   * after.
   */
  public CompletionStage<BoundedBuffer.Accepted<T>> putAsync(T item, Duration timeout) {
    return putting(item, timeout).async();
  }

  /** Blocking {@link #putAsync}: returns once the item is in the buffer. */
  public void put(T item, Duration timeout) {
    putting(item, timeout).await();
  }

  /** {@link #put(Object, Duration)} with the default timeout. */
  public void put(T item) {
    put(item, callers.defaultTimeout());
  }

  /**
   * A put that a caller who walks away withdraws: an item the buffer has admitted cannot be given
   * back, so the put is withdrawn from the thread that walks away (see {@link
   * Callers#through(ActorRef, Duration, String, java.util.function.Function, Callers.Holding,
   * Callers.Withdrawal)}).
   */
  private Call<BoundedBuffer.Accepted<T>> putting(T item, Duration timeout) {
    return callers.through(
        buffer,
        timeout,
        "putting into " + name,
        (ActorRef<BoundedBuffer.Reply<T>> standIn) ->
            new BoundedBuffer.Offer<>(item, timeout, standIn),
        (reply, standIn) -> expected(BoundedBuffer.Accepted.class, reply),
        new Callers.Withdrawal<>(BoundedBuffer.Withdraw::new, BoundedBuffer.Withdrawn.class));
  }

  /**
   * Takes the next item, waiting up to {@code timeout} for one. Fails with {@link ClosedException}
   * when the buffer is closed and drained. The item is acknowledged once the caller has it; use
   * {@link #takeDelivery} to acknowledge after processing instead.
   */
  public CompletionStage<T> takeAsync(Duration timeout) {
    return taking(1, timeout).map(items -> items.get(0)).async();
  }

  /** Blocking {@link #takeAsync}. */
  public T take(Duration timeout) {
    return taking(1, timeout).map(items -> items.get(0)).await();
  }

  /** {@link #take(Duration)} with the default timeout. */
  public T take() {
    return take(callers.defaultTimeout());
  }

  /** Takes between 1 and {@code max} items at once, waiting up to {@code timeout} for the first. */
  public CompletionStage<List<T>> takeBatchAsync(int max, Duration timeout) {
    return taking(max, timeout).async();
  }

  /** Blocking {@link #takeBatchAsync}. */
  public List<T> takeBatch(int max, Duration timeout) {
    return taking(max, timeout).await();
  }

  /**
   * A take whose items stay in flight until the caller has them; its stand-in then acknowledges
   * them and stops.
   */
  private Call<List<T>> taking(int max, Duration timeout) {
    return callers.through(
        buffer,
        timeout,
        "taking from " + name,
        (ActorRef<BoundedBuffer.Reply<T>> standIn) ->
            new BoundedBuffer.Request<>(max, timeout, true, standIn),
        (reply, standIn) -> {
          BoundedBuffer.Taken<T> taken = taken(reply);
          standIn.afterAccepted(() -> buffer.tell(new BoundedBuffer.Ack<>(taken.deliveryId())));
          return taken.items();
        });
  }

  /**
   * At-least-once take: the item stays in flight, counted against the capacity, until the returned
   * handle is closed. {@code try (var d = buffer.takeDelivery(t)) { use(d.item()); }} acknowledges
   * after the block; if it is never closed, the item goes back to the buffer when {@link
   * #release()} is called, when the handle becomes unreachable, or when the kit closes.
   */
  public Delivery<T> takeDelivery(Duration timeout) {
    return delivering(timeout).await();
  }

  /** {@link #takeDelivery} without blocking. */
  public CompletionStage<Delivery<T>> takeDeliveryAsync(Duration timeout) {
    return delivering(timeout).async();
  }

  private Call<Delivery<T>> delivering(Duration timeout) {
    return callers.through(
        buffer,
        timeout,
        "taking a delivery from " + name,
        (ActorRef<BoundedBuffer.Reply<T>> standIn) ->
            new BoundedBuffer.Request<>(1, timeout, true, standIn),
        (reply, standIn) -> {
          BoundedBuffer.Taken<T> taken = taken(reply);
          standIn.keep();
          // Known before the caller has it, so that release() right after the take reaches it; one
          // the caller walked away from stops, and is pruned here by the next delivery.
          openDeliveries.removeIf(StandIn::isStopped);
          openDeliveries.add(standIn);
          return new Delivery<>(callers, buffer, standIn, taken, openDeliveries);
        });
  }

  @SuppressWarnings("unchecked")
  private BoundedBuffer.Taken<T> taken(BoundedBuffer.Reply<T> reply) {
    if (reply instanceof BoundedBuffer.Taken<T> taken) {
      return taken;
    }
    if (reply instanceof BoundedBuffer.EndOfStream<T>) {
      throw new ClosedException(name + " is closed and drained");
    }
    throw Callers.refusal(reply, buffer);
  }

  /**
   * An item taken at least once; {@link #close()} acknowledges it. Until then it is in flight, held
   * by the take's stand-in; the rest of the rules are those of {@link Handle}.
   */
  public static final class Delivery<T> extends Handle {
    private final Callers callers;
    private final ActorRef<BoundedBuffer.Command<T>> buffer;
    private final StandIn standIn;
    private final T item;
    private final long deliveryId;
    private final Set<StandIn> open;

    private Delivery(
        Callers callers,
        ActorRef<BoundedBuffer.Command<T>> buffer,
        StandIn standIn,
        BoundedBuffer.Taken<T> taken,
        Set<StandIn> open) {
      super(new Held(standIn, open), "a Delivery from " + Callers.nameOf(buffer));
      this.callers = callers;
      this.buffer = buffer;
      this.standIn = standIn;
      this.item = taken.item();
      this.deliveryId = taken.deliveryId();
      this.open = open;
    }

    public T item() {
      return item;
    }

    /**
     * The stand-in sends the acknowledgement and stops, so the buffer never mistakes its end for a
     * death.
     */
    @Override
    protected Call<Void> release() {
      return callers.telling(
          "acknowledging a delivery of " + Callers.nameOf(buffer),
          () -> {
            open.remove(standIn);
            standIn.farewell(buffer, new BoundedBuffer.Ack<>(deliveryId));
          });
    }
  }

  /**
   * A delivery's stand-in, which the client forgets once it is released or given back unreleased.
   */
  private record Held(StandIn standIn, Set<StandIn> open) implements Handle.Holder {
    @Override
    public void released() {
      open.remove(standIn);
      standIn.released();
    }

    @Override
    public void abandoned() {
      open.remove(standIn);
      standIn.abandoned();
    }

    @Override
    public boolean isGone() {
      return standIn.isGone();
    }
  }

  /** How full the buffer is now. */
  public BoundedBuffer.SizeIs<T> status() {
    return this.<BoundedBuffer.SizeIs<T>>asking(
            "the status of ",
            BoundedBuffer.SizeIs.class,
            BoundedBuffer.Size::new,
            callers.defaultTimeout())
        .await();
  }

  /** {@link #status()} without blocking. */
  public CompletionStage<BoundedBuffer.SizeIs<T>> statusAsync() {
    return this.<BoundedBuffer.SizeIs<T>>asking(
            "the status of ",
            BoundedBuffer.SizeIs.class,
            BoundedBuffer.Size::new,
            callers.defaultTimeout())
        .async();
  }

  /** Items held now (Python's {@code qsize()}). */
  public int size() {
    return status().size();
  }

  /**
   * Python's {@code task_done()}. Throws {@code RejectedException} if more are done than were put.
   */
  public void taskDone() {
    asking(
            "task_done on ",
            BoundedBuffer.TasksDone.class,
            replyTo -> new BoundedBuffer.TaskDone<>(1, replyTo),
            callers.defaultTimeout())
        .await();
  }

  /**
   * Python's {@code join()}, bounded: returns once every item put is done; {@link
   * TimedOutException} otherwise.
   */
  public void join(Duration timeout) {
    callers
        .through(
            buffer,
            timeout,
            "joining " + name,
            (ActorRef<BoundedBuffer.Reply<T>> standIn) ->
                new BoundedBuffer.Join<>(timeout, standIn),
            (reply, standIn) -> expected(BoundedBuffer.Joined.class, reply))
        .await();
  }

  /** Closes the buffer for producers; returns how many items are left for consumers to drain. */
  public int close() {
    return shutdown(false).remaining();
  }

  /**
   * Python 3.13's {@code shutdown(immediate)}: closes the buffer for producers (a put, waiting or
   * later, throws {@link dev.actorkit.core.errors.RejectedException}). Without {@code immediate},
   * takes drain what is left and then throw {@link ClosedException}; with it, what is left is
   * dropped and every take, waiting or later, throws {@code ClosedException} at once.
   */
  public BoundedBuffer.Closed<T> shutdown(boolean immediate) {
    return this.<BoundedBuffer.Closed<T>>asking(
            "closing ",
            BoundedBuffer.Closed.class,
            replyTo -> new BoundedBuffer.Close<>(immediate, replyTo),
            callers.defaultTimeout())
        .await();
  }

  /**
   * Gives back every delivery this client handed out and that was not acknowledged: the items go
   * back to the head of the buffer.
   */
  public void release() {
    for (StandIn standIn : openDeliveries) {
      openDeliveries.remove(standIn);
      standIn.stop();
    }
  }

  private <S> Call<S> asking(
      String what,
      Class<?> expected,
      Function<ActorRef<BoundedBuffer.Reply<T>>, BoundedBuffer.Command<T>> message,
      Duration timeout) {
    return callers.ask(buffer, timeout, what + name, message, reply -> expected(expected, reply));
  }

  /**
   * The reply as the type the call expects (the buffer's replies are generic in the item type);
   * anything else is a refusal.
   */
  @SuppressWarnings("unchecked")
  private <S> S expected(Class<?> type, BoundedBuffer.Reply<T> reply) {
    if (type.isInstance(reply)) {
      return (S) reply;
    }
    throw Callers.refusal(reply, buffer);
  }
}
