package dev.actorkit.patterns.buffer;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import dev.actorkit.core.KitClock;
import dev.actorkit.core.KitMessage;
import dev.actorkit.core.RejectedReply;
import dev.actorkit.core.TimedOutReply;
import dev.actorkit.core.trace.TraceKind;
import dev.actorkit.core.trace.Tracer;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Python's {@code queue.Queue(maxsize)} as an actor: a buffer of at most {@code capacity} items
 * between producers and consumers, with backpressure both ways. Items leave first in, first out, or
 * as {@code LifoQueue} ({@link Settings#lifo}), {@code PriorityQueue} ({@link Settings#priority})
 * or {@code SimpleQueue} ({@link Settings#unbounded}) would have them.
 *
 * <p><b>Ordering and fairness.</b> Items leave in the buffer's {@link Order}: the order they were
 * admitted, the reverse of it, or smallest first (equal ones in the order admitted); an item given
 * back by a consumer that stopped leaves next. Producers that find the buffer full are parked and
 * admitted strictly in arrival order (a later producer never overtakes a parked one, even with a
 * smaller batch); a producer's {@link Accepted} is sent only when its last item is in, so the
 * buffer never holds more than its capacity and never drops an item it answered {@code Accepted}
 * for. Consumers that find it empty are parked and served in arrival order.
 *
 * <p><b>Batching.</b> {@link PutAll} admits a list in order, as room appears, with one reply;
 * {@link Request} hands a consumer up to {@code max} items in one {@link Taken}. A stream of items
 * therefore needs one round trip per batch, not per item.
 *
 * <p><b>Timeouts.</b> {@link Offer}, {@link Poll}, {@link Request} and {@link Join} carry a
 * deadline in story time, enforced by this actor's own timer: when it passes the waiter leaves its
 * queue and gets {@link TimedOut}; an offer that timed out put nothing. A zero timeout is Python's
 * {@code put_nowait} / {@code get_nowait}. {@link Put} and {@link Take} wait without a deadline and
 * are meant for actors; plain Java goes through {@link BufferClient}, which always has one.
 *
 * <p><b>Close.</b> After {@link Close} every put is answered {@link Rejected}, parked producers
 * included (their items not yet admitted are not in the buffer); consumers drain what is left, then
 * get {@link EndOfStream}. An immediate close (Python 3.13's {@code shutdown(immediate=True)})
 * drops what is left instead, and every waiting and later consumer gets {@code EndOfStream} at
 * once.
 *
 * <p><b>Death.</b> Every parked waiter is watched: one that stops leaves its queue (a producer's
 * items already admitted stay). A delivery that waits for its acknowledgement ({@link Ack}) — every
 * delivery in <em>at-least-once</em> mode ({@link Settings#atLeastOnce()}), and those a {@link
 * Request} takes {@code untilAck} in the default mode — counts against the capacity until it is
 * acknowledged, and if the consumer that holds it stops first its items go back to the head of the
 * buffer, oldest first, for the next consumer: nothing is lost to a consumer that dies or walks
 * away. The holder is the {@code replyTo} of the take, so it must be an actor that lives until it
 * acknowledges (not an ask's temporary actor); {@link BufferClient} and {@link BufferStreams} take
 * this way. Any other delivery is the consumer's once it is sent: an item handed to a consumer that
 * has just stopped, before the buffer heard of it, is gone with it.
 *
 * <p><b>Task accounting.</b> {@link TaskDone} and {@link Join} are Python's {@code task_done()} and
 * {@code join()}: join completes when every item ever admitted has been marked done.
 *
 * <p>Bad input (a null item, an empty batch, a negative timeout, too many {@code TaskDone}s) is
 * answered {@link Rejected} with the state unchanged.
 */
public final class BoundedBuffer<T> extends AbstractBehavior<BoundedBuffer.Command<T>> {

  /**
   * @param capacity how many items the buffer holds at most (Python's {@code maxsize}), at least 1
   * @param atLeastOnce whether deliveries must be acknowledged and go back to the buffer when their
   *     consumer dies first
   */
  public record Settings(
      int capacity, boolean atLeastOnce, Order order, Comparator<Object> priority) {
    public Settings {
      if (capacity < 1) {
        throw new IllegalArgumentException(
            "a buffer's capacity must be at least 1, was " + capacity);
      }
      Objects.requireNonNull(order, "order");
      if ((order == Order.PRIORITY) != (priority != null)) {
        throw new IllegalArgumentException(
            "a comparator goes with the priority order, and only with it");
      }
    }

    /** First in, first out, with at-least-once delivery on or off. */
    public Settings(int capacity, boolean atLeastOnce) {
      this(capacity, atLeastOnce, Order.FIFO, null);
    }

    /** At-most-once delivery (no acknowledgements), like {@code queue.Queue(capacity)}. */
    public static Settings of(int capacity) {
      return new Settings(capacity, false);
    }

    /** Python's {@code queue.LifoQueue(capacity)}: the last item in is the first out. */
    public static Settings lifo(int capacity) {
      return new Settings(capacity, false, Order.LIFO, null);
    }

    /**
     * Python's {@code queue.PriorityQueue(capacity)}: the smallest item by {@code comparator} is
     * the first out; equal ones leave in the order they were put.
     */
    @SuppressWarnings("unchecked")
    public static <T> Settings priority(int capacity, Comparator<? super T> comparator) {
      return new Settings(
          capacity,
          false,
          Order.PRIORITY,
          (Comparator<Object>) Objects.requireNonNull(comparator, "comparator"));
    }

    /**
     * {@link #priority(int, Comparator)} by the items' natural order (they must be {@link
     * Comparable}).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Settings priority(int capacity) {
      return new Settings(capacity, false, Order.PRIORITY, (Comparator) Comparator.naturalOrder());
    }

    /** Python's {@code queue.SimpleQueue()}: no capacity to speak of, so a put never waits. */
    public static Settings unbounded() {
      return new Settings(Integer.MAX_VALUE, false);
    }

    /** These settings with at-least-once delivery switched on or off. */
    public Settings withAtLeastOnce(boolean atLeastOnce) {
      return new Settings(capacity, atLeastOnce, order, priority);
    }
  }

  /**
   * In which order items leave: Python's {@code Queue}, {@code LifoQueue}, {@code PriorityQueue}.
   */
  public enum Order {
    FIFO,
    LIFO,
    PRIORITY
  }

  // ---------------------------------------------------------------- protocol

  /** What a buffer understands. */
  public sealed interface Command<T> extends KitMessage {}

  /**
   * Puts one item, waiting without a deadline while the buffer is full. Answered {@link Accepted}.
   */
  public record Put<T>(T item, ActorRef<Reply<T>> replyTo) implements Command<T> {}

  /**
   * Puts one item, waiting at most {@code timeout} (story time). {@link Accepted} or {@link
   * TimedOut}.
   */
  public record Offer<T>(T item, Duration timeout, ActorRef<Reply<T>> replyTo)
      implements Command<T> {}

  /** Puts a batch in order, admitted as room appears; one {@link Accepted} when the last is in. */
  public record PutAll<T>(List<T> items, ActorRef<Reply<T>> replyTo) implements Command<T> {
    public PutAll {
      items = items == null ? null : List.copyOf(items);
    }
  }

  /** Takes one item, waiting without a deadline. {@link Taken} or {@link EndOfStream}. */
  public record Take<T>(ActorRef<Reply<T>> replyTo) implements Command<T> {}

  /**
   * Takes one item, waiting at most {@code timeout}. {@link Taken}, {@link EndOfStream} or {@link
   * TimedOut}.
   */
  public record Poll<T>(Duration timeout, ActorRef<Reply<T>> replyTo) implements Command<T> {}

  /**
   * Takes between 1 and {@code max} items in one {@link Taken}, waiting at most {@code timeout} for
   * the first. With {@code untilAck} the items stay in flight, owned by {@code replyTo} and counted
   * against the capacity, until they are acknowledged with {@link Ack}; if {@code replyTo} stops
   * first they go back to the head of the buffer. (In at-least-once mode every take is so.)
   */
  public record Request<T>(int max, Duration timeout, boolean untilAck, ActorRef<Reply<T>> replyTo)
      implements Command<T> {
    /** A request that does not wait for an acknowledgement (unless the buffer is at-least-once). */
    public Request(int max, Duration timeout, ActorRef<Reply<T>> replyTo) {
      this(max, timeout, false, replyTo);
    }
  }

  /**
   * Acknowledges the first {@code count} items of a delivery in flight (all of them if {@code
   * count} is its size or more). No reply; an unknown id is ignored, so it is idempotent.
   */
  public record Ack<T>(long deliveryId, int count) implements Command<T> {
    /** Acknowledges the whole delivery. */
    public Ack(long deliveryId) {
      this(deliveryId, Integer.MAX_VALUE);
    }
  }

  /** Python's {@code task_done()}, {@code count} times. {@link TasksDone} or {@link Rejected}. */
  public record TaskDone<T>(int count, ActorRef<Reply<T>> replyTo) implements Command<T> {}

  /**
   * Python's {@code join()}: {@link Joined} once every item admitted is done, or {@link TimedOut}.
   */
  public record Join<T>(Duration timeout, ActorRef<Reply<T>> replyTo) implements Command<T> {}

  /**
   * Withdraws what {@code owner} (the {@code replyTo} of its requests) waits for: a parked put puts
   * nothing more, a parked take takes nothing. Answered {@link Withdrawn} after any answer already
   * sent to it, so an owner that hears {@code Withdrawn} has heard everything.
   */
  public record Withdraw<T>(ActorRef<?> owner, ActorRef<Reply<T>> replyTo) implements Command<T> {}

  /** Asks how full the buffer is. {@link SizeIs}. */
  public record Size<T>(ActorRef<Reply<T>> replyTo) implements Command<T> {}

  /**
   * Python's {@code shutdown(immediate)}. Closes the buffer for producers (parked ones are
   * refused); without {@code immediate} consumers drain what is left, with it what is left is
   * dropped (the unfinished count falls by as many) and every parked consumer gets {@link
   * EndOfStream} at once. {@link Closed}. Closing twice is harmless; an immediate close after a
   * plain one drops what is left.
   */
  public record Close<T>(boolean immediate, ActorRef<Reply<T>> replyTo) implements Command<T> {
    /** A close that lets consumers drain. */
    public Close(ActorRef<Reply<T>> replyTo) {
      this(false, replyTo);
    }
  }

  private record Expired<T>(long waiterId) implements Command<T> {}

  private record Gone<T>(ActorRef<?> ref) implements Command<T> {}

  /** What a buffer answers. */
  public sealed interface Reply<T> extends KitMessage {}

  /** All {@code count} items of a put are in; {@code level} items were held right after. */
  public record Accepted<T>(int count, int level) implements Reply<T> {}

  /**
   * Items for a consumer, in buffer order; {@code deliveryId} increases by one per delivery (ack it
   * in at-least-once mode); {@code level} items were left in the buffer right after.
   */
  public record Taken<T>(List<T> items, long deliveryId, int level) implements Reply<T> {
    public Taken {
      items = List.copyOf(items);
    }

    /** The first (for {@link Take} and {@link Poll}, the only) item. */
    public T item() {
      return items.get(0);
    }
  }

  /** The buffer is closed and nothing is left in it or in flight. */
  public record EndOfStream<T>() implements Reply<T> {}

  /** {@code TaskDone} counted; {@code unfinished} items are still not done. */
  public record TasksDone<T>(long unfinished) implements Reply<T> {}

  /** Every item admitted has been marked done. */
  public record Joined<T>() implements Reply<T> {}

  /**
   * How full the buffer is: {@code size} items held, {@code inFlight} handed out and not yet
   * acknowledged, {@code highWater} the most it ever held, {@code unfinished} not yet done, and how
   * many producers and consumers are parked.
   */
  public record SizeIs<T>(
      int size,
      int inFlight,
      int capacity,
      int highWater,
      long unfinished,
      boolean closed,
      int parkedProducers,
      int parkedConsumers)
      implements Reply<T> {}

  /** The answer to {@link Withdraw}: whether the owner was waiting (it is not any more). */
  public record Withdrawn<T>(boolean wasWaiting) implements Reply<T> {}

  /**
   * The buffer is closed; {@code remaining} items are left for consumers to drain, {@code dropped}
   * were dropped.
   */
  public record Closed<T>(int remaining, int dropped) implements Reply<T> {
    public Closed(int remaining) {
      this(remaining, 0);
    }
  }

  /** The request was refused and nothing changed (a put after close, bad input). */
  public record Rejected<T>(String reason) implements Reply<T>, RejectedReply {}

  /** The deadline passed; the waiter has left its queue and, for a put, nothing was put. */
  public record TimedOut<T>(Duration waited) implements Reply<T>, TimedOutReply {}

  // ---------------------------------------------------------------- behaviour

  /** A buffer with these settings. */
  public static <T> Behavior<Command<T>> create(Settings settings) {
    Objects.requireNonNull(settings, "settings");
    return Behaviors.setup(
        context -> Behaviors.withTimers(timers -> new BoundedBuffer<T>(context, timers, settings)));
  }

  private final TimerScheduler<Command<T>> timers;
  private final KitClock clock;
  private final Tracer tracer;
  private final BufferState<T, ActorRef<Reply<T>>> state;
  private final Map<Long, Duration> deadlines = new HashMap<>();

  /**
   * Waits parked while tracing was on, so that serving one ends its waiting span on a timeline
   * ({@code woke}); empty while tracing is off.
   */
  private final java.util.Set<Long> tracedWaits = new java.util.HashSet<>();

  private final Replies replies = new Replies();
  private long nextWaiterId = 1;

  private static <T> ItemOrder<T> orderOf(Settings settings) {
    return switch (settings.order()) {
      case FIFO -> ItemOrder.fifo();
      case LIFO -> ItemOrder.lifo();
      case PRIORITY -> ItemOrder.priority(settings.priority());
    };
  }

  private BoundedBuffer(
      ActorContext<Command<T>> context, TimerScheduler<Command<T>> timers, Settings settings) {
    super(context);
    this.timers = timers;
    this.clock = KitClock.get(context.getSystem());
    this.tracer = Tracer.get(context.getSystem());
    this.state = new BufferState<>(settings.capacity(), settings.atLeastOnce(), orderOf(settings));
    if (tracer.enabled()) {
      tracer.emit(context.getSelf(), TraceKind.LEVEL, 0);
    }
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Receive<Command<T>> createReceive() {
    return newReceiveBuilder()
        .onMessage((Class) Put.class, put -> onPut((Put<T>) put))
        .onMessage((Class) PutAll.class, putAll -> onPutAll((PutAll<T>) putAll))
        .onMessage((Class) Request.class, request -> onRequest((Request<T>) request))
        .onMessage((Class) Take.class, take -> onTake((Take<T>) take))
        .onMessage((Class) Ack.class, ack -> onAck((Ack<T>) ack))
        .onMessage((Class) Offer.class, offer -> onOffer((Offer<T>) offer))
        .onMessage((Class) Poll.class, poll -> onPoll((Poll<T>) poll))
        .onMessage((Class) TaskDone.class, done -> onTaskDone((TaskDone<T>) done))
        .onMessage((Class) Join.class, join -> onJoin((Join<T>) join))
        .onMessage((Class) Size.class, size -> onSize((Size<T>) size))
        .onMessage((Class) Withdraw.class, withdraw -> onWithdraw((Withdraw<T>) withdraw))
        .onMessage((Class) Close.class, close -> onClose((Close<T>) close))
        .onMessage((Class) Expired.class, expired -> onExpired((Expired<T>) expired))
        .onMessage((Class) Gone.class, gone -> onGone((Gone<T>) gone))
        .build();
  }

  private Behavior<Command<T>> onPut(Put<T> put) {
    if (put.item() == null) {
      return reject(put.replyTo(), "the item is null");
    }
    putBatch(List.of(put.item()), null, put.replyTo());
    return this;
  }

  private Behavior<Command<T>> onOffer(Offer<T> offer) {
    if (offer.item() == null) {
      return reject(offer.replyTo(), "the item is null");
    }
    if (badTimeout(offer.timeout())) {
      return reject(
          offer.replyTo(), "the timeout must be zero or positive, was " + offer.timeout());
    }
    putBatch(List.of(offer.item()), offer.timeout(), offer.replyTo());
    return this;
  }

  private Behavior<Command<T>> onPutAll(PutAll<T> putAll) {
    if (putAll.items() == null || putAll.items().isEmpty()) {
      return reject(putAll.replyTo(), "the batch is empty");
    }
    putBatch(putAll.items(), null, putAll.replyTo());
    return this;
  }

  private void putBatch(List<T> batch, Duration timeout, ActorRef<Reply<T>> producer) {
    long id = nextWaiterId++;
    if (state.put(producer, id, batch, replies)) {
      if (tracer.enabled()) {
        tracedWaits.add(id);
        tracer.emit(
            getContext().getSelf(),
            TraceKind.WAITING,
            producer,
            "for room to put " + items(batch.size()));
      }
      park(producer, id, timeout);
    }
  }

  private Behavior<Command<T>> onTake(Take<T> take) {
    takeBatch(1, null, false, take.replyTo());
    return this;
  }

  private Behavior<Command<T>> onPoll(Poll<T> poll) {
    if (badTimeout(poll.timeout())) {
      return reject(poll.replyTo(), "the timeout must be zero or positive, was " + poll.timeout());
    }
    takeBatch(1, poll.timeout(), false, poll.replyTo());
    return this;
  }

  private Behavior<Command<T>> onRequest(Request<T> request) {
    if (request.max() < 1) {
      return reject(
          request.replyTo(), "a request must ask for at least 1 item, was " + request.max());
    }
    if (badTimeout(request.timeout())) {
      return reject(
          request.replyTo(), "the timeout must be zero or positive, was " + request.timeout());
    }
    takeBatch(request.max(), request.timeout(), request.untilAck(), request.replyTo());
    return this;
  }

  private void takeBatch(int max, Duration timeout, boolean untilAck, ActorRef<Reply<T>> consumer) {
    long id = nextWaiterId++;
    if (state.take(consumer, id, max, untilAck, replies)) {
      if (tracer.enabled()) {
        tracedWaits.add(id);
        tracer.emit(getContext().getSelf(), TraceKind.WAITING, consumer, "for an item to take");
      }
      park(consumer, id, timeout);
    }
  }

  private void park(ActorRef<Reply<T>> waiter, long id, Duration timeout) {
    getContext().watchWith(waiter, new Gone<>(waiter));
    if (timeout == null) {
      return;
    }
    deadlines.put(id, timeout);
    if (timeout.isZero()) {
      state.expire(id, replies);
    } else {
      timers.startSingleTimer(id, new Expired<>(id), clock.toReal(timeout));
    }
  }

  private Behavior<Command<T>> onAck(Ack<T> ack) {
    if (!state.ack(ack.deliveryId(), ack.count(), replies)) {
      getContext().getLog().debug("ack of unknown delivery {} ignored", ack.deliveryId());
    }
    return this;
  }

  private Behavior<Command<T>> onTaskDone(TaskDone<T> done) {
    if (!state.taskDone(done.count(), replies)) {
      return reject(
          done.replyTo(),
          "task_done("
              + done.count()
              + ") called with only "
              + state.unfinished()
              + " items unfinished");
    }
    done.replyTo().tell(new TasksDone<>(state.unfinished()));
    return this;
  }

  private Behavior<Command<T>> onJoin(Join<T> join) {
    if (badTimeout(join.timeout())) {
      return reject(join.replyTo(), "the timeout must be zero or positive, was " + join.timeout());
    }
    long id = nextWaiterId++;
    if (state.join(join.replyTo(), id, replies)) {
      park(join.replyTo(), id, join.timeout());
    }
    return this;
  }

  private Behavior<Command<T>> onSize(Size<T> size) {
    size.replyTo()
        .tell(
            new SizeIs<>(
                state.size(),
                state.inFlight(),
                state.capacity(),
                state.highWater(),
                state.unfinished(),
                state.closed(),
                state.parkedProducers(),
                state.parkedConsumers()));
    return this;
  }

  @SuppressWarnings("unchecked")
  private Behavior<Command<T>> onWithdraw(Withdraw<T> withdraw) {
    boolean waited = state.withdraw((ActorRef<Reply<T>>) withdraw.owner(), replies);
    if (waited) {
      tracer.emit(getContext().getSelf(), TraceKind.WITHDRAWN, withdraw.owner(), "");
    }
    withdraw.replyTo().tell(new Withdrawn<>(waited));
    return this;
  }

  private Behavior<Command<T>> onClose(Close<T> close) {
    if (close.immediate()) {
      int dropped = state.shutdownNow(replies);
      tracer.emit(getContext().getSelf(), "closed", close.replyTo(), dropped + " dropped");
      close.replyTo().tell(new Closed<>(0, dropped));
      return this;
    }
    if (!state.closed()) {
      // the closer is whoever the answer goes to: an actor, or a plain-Java caller's thread
      tracer.emit(
          getContext().getSelf(), "closed", close.replyTo(), state.size() + " left to drain");
    }
    state.close(replies);
    close.replyTo().tell(new Closed<>(state.size(), 0));
    return this;
  }

  private Behavior<Command<T>> onExpired(Expired<T> expired) {
    state.expire(expired.waiterId(), replies);
    return this;
  }

  private Behavior<Command<T>> onGone(Gone<T> gone) {
    @SuppressWarnings("unchecked")
    ActorRef<Reply<T>> who = (ActorRef<Reply<T>>) gone.ref();
    int back = state.gone(who, replies);
    if (back > 0) {
      if (tracer.enabled()) {
        tracer.emit(
            getContext().getSelf(), "requeued", who, items(back) + " it had not acknowledged");
        tracer.emit(getContext().getSelf(), TraceKind.LEVEL, state.size());
      }
      getContext()
          .getLog()
          .debug("{} stopped holding {} unacknowledged items; back at the head", who, back);
    }
    return this;
  }

  private Behavior<Command<T>> reject(ActorRef<Reply<T>> replyTo, String reason) {
    if (replyTo != null) {
      replyTo.tell(new Rejected<>(reason));
    }
    return this;
  }

  private static String items(int count) {
    return count == 1 ? "1 item" : count + " items";
  }

  private static boolean badTimeout(Duration timeout) {
    return timeout == null || timeout.isNegative();
  }

  /** Turns the state's wake-ups into replies, and stops the deadline of each waiter served. */
  private final class Replies implements BufferState.Outbox<T, ActorRef<Reply<T>>> {

    private void served(long waiterId) {
      if (!deadlines.isEmpty() && deadlines.remove(waiterId) != null) {
        timers.cancel(waiterId);
      }
    }

    /** Traces the end of a parked wait that is served now (nothing if it never waited). */
    private void woke(ActorRef<Reply<T>> waiter, long waiterId) {
      if (!tracedWaits.isEmpty() && tracedWaits.remove(waiterId)) {
        tracer.emit(getContext().getSelf(), TraceKind.WOKE, waiter, "");
      }
    }

    @Override
    public void accepted(ActorRef<Reply<T>> producer, long waiterId, int count, int level) {
      served(waiterId);
      woke(producer, waiterId);
      if (tracer.enabled()) {
        tracer.emit(getContext().getSelf(), "put", producer, items(count) + ", level " + level);
        tracer.emit(getContext().getSelf(), TraceKind.LEVEL, level);
      }
      producer.tell(new Accepted<>(count, level));
    }

    @Override
    public void refused(ActorRef<Reply<T>> producer, long waiterId, int admitted, String reason) {
      served(waiterId);
      if (tracedWaits.remove(waiterId)) {
        tracer.emit(getContext().getSelf(), TraceKind.DROPPED, producer, reason);
      }
      producer.tell(
          new Rejected<>(
              admitted == 0 ? reason : reason + " (" + admitted + " of its items were admitted)"));
    }

    @Override
    public void delivered(
        ActorRef<Reply<T>> consumer,
        long waiterId,
        long deliveryId,
        List<T> items,
        int level,
        boolean tracked) {
      served(waiterId);
      if (tracked) {
        getContext().watchWith(consumer, new Gone<>(consumer));
      }
      woke(consumer, waiterId);
      if (tracer.enabled()) {
        tracer.emit(
            getContext().getSelf(), "taken", consumer, items(items.size()) + ", level " + level);
        tracer.emit(getContext().getSelf(), TraceKind.LEVEL, level);
      }
      consumer.tell(new Taken<>(items, deliveryId, level));
    }

    @Override
    public void endOfStream(ActorRef<Reply<T>> consumer, long waiterId) {
      served(waiterId);
      if (tracedWaits.remove(waiterId)) {
        tracer.emit(getContext().getSelf(), TraceKind.DROPPED, consumer, "closed and drained");
      }
      consumer.tell(new EndOfStream<>());
    }

    @Override
    public void joined(ActorRef<Reply<T>> joiner, long waiterId) {
      served(waiterId);
      joiner.tell(new Joined<>());
    }

    @Override
    public void timedOut(ActorRef<Reply<T>> waiter, long waiterId) {
      Duration waited = deadlines.remove(waiterId);
      tracedWaits.remove(waiterId);
      tracer.emit(getContext().getSelf(), TraceKind.TIMED_OUT, waiter, waited);
      waiter.tell(new TimedOut<>(waited == null ? Duration.ZERO : waited));
    }
  }
}
