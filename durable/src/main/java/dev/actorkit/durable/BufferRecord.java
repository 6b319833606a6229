package dev.actorkit.durable;

import akka.actor.typed.ActorRef;
import dev.actorkit.cluster.KitJacksonModule;
import dev.actorkit.core.KitMessage;
import dev.actorkit.patterns.buffer.BoundedBuffer;
import dev.actorkit.patterns.buffer.BufferState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a {@link DurableBuffer} keeps in the store, replaced as a whole on every change.
 * Immutable. The rules are not here: each change rebuilds the in-memory {@link BufferState} from
 * this record ({@link #state}), applies the rule there, and keeps the result ({@link #of}), so the
 * durable buffer moves items, producers and consumers exactly as the in-memory one does. Rebuilding
 * costs O(items + waiters + deliveries in flight) per change, beside the store write every change
 * makes: a durable buffer is meant for tens to thousands of items, not millions.
 *
 * <p>Items are kept as their class name and value ({@link KitJacksonModule.ItemType}), so only the
 * kit's payload types can be kept ({@link KitJacksonModule#isPayload}); {@link DurableBuffer}
 * refuses others before they are put.
 *
 * @param capacity how many items it holds at most, with those in flight; 0: not created yet
 * @param atLeastOnce whether every delivery waits for its acknowledgement
 * @param items the items held, first to leave first
 * @param producers the parked producers, first to be admitted first
 * @param consumers the parked consumers, first to be served first
 * @param joiners who waits in {@code join()}
 * @param inFlight the deliveries handed out and not yet acknowledged, oldest first
 * @param nextDeliveryId the id the next delivery gets
 * @param unfinished items admitted and not yet marked done
 * @param highWater the most items held (with those in flight) at any moment
 * @param closed whether producers are refused
 * @param shutDownNow whether it was closed at once (what is left dropped)
 * @param nextWaitId the id the next waiter gets (its timer's key)
 */
public record BufferRecord(
    int capacity,
    boolean atLeastOnce,
    @KitJacksonModule.ItemType List<Object> items,
    List<Producing> producers,
    List<Consuming> consumers,
    List<Joining> joiners,
    List<Delivered> inFlight,
    long nextDeliveryId,
    long unfinished,
    int highWater,
    boolean closed,
    boolean shutDownNow,
    long nextWaitId)
    implements KitMessage {

  /** A buffer nobody has created yet. */
  public static final BufferRecord EMPTY =
      new BufferRecord(
          0, false, List.of(), List.of(), List.of(), List.of(), List.of(), 1, 0, 0, false, false,
          1);

  public BufferRecord {
    items = List.copyOf(items);
    producers = List.copyOf(producers);
    consumers = List.copyOf(consumers);
    joiners = List.copyOf(joiners);
    inFlight = List.copyOf(inFlight);
  }

  /**
   * When a wait runs out (epoch milliseconds; 0 for never) after how long (real milliseconds), as
   * the waiter asked.
   */
  public record Deadline(long deadlineMillis, long timeoutMillis) implements KitMessage {
    /** A wait without a deadline ({@code Put}, {@code Take}). */
    public static final Deadline NONE = new Deadline(0, 0);
  }

  /** A parked producer: its whole batch, how many of its items are in already, its deadline. */
  public record Producing(
      ActorRef<BoundedBuffer.Reply<Object>> producer,
      long waitId,
      @KitJacksonModule.ItemType List<Object> batch,
      int admitted,
      Deadline deadline)
      implements KitMessage {
    public Producing {
      batch = List.copyOf(batch);
    }
  }

  /** A parked consumer: how many items it asks for, whether until acknowledged, its deadline. */
  public record Consuming(
      ActorRef<BoundedBuffer.Reply<Object>> consumer,
      long waitId,
      int max,
      boolean untilAck,
      Deadline deadline)
      implements KitMessage {}

  /** A parked joiner and its deadline. */
  public record Joining(
      ActorRef<BoundedBuffer.Reply<Object>> joiner, long waitId, Deadline deadline)
      implements KitMessage {}

  /** A delivery in flight: its id, the consumer that holds it, its items not yet acknowledged. */
  public record Delivered(
      long deliveryId,
      ActorRef<BoundedBuffer.Reply<Object>> consumer,
      @KitJacksonModule.ItemType List<Object> items)
      implements KitMessage {
    public Delivered {
      items = List.copyOf(items);
    }
  }

  /** Whether the buffer has been created: a buffer holds at least one item. */
  public boolean exists() {
    return capacity > 0;
  }

  /** This record, created with {@code capacity} and {@code atLeastOnce}. */
  public BufferRecord created(int capacity, boolean atLeastOnce) {
    return new BufferRecord(
        capacity,
        atLeastOnce,
        items,
        producers,
        consumers,
        joiners,
        inFlight,
        nextDeliveryId,
        unfinished,
        highWater,
        closed,
        shutDownNow,
        nextWaitId);
  }

  /** The in-memory buffer this record describes, to apply one rule to. */
  public BufferState<Object, ActorRef<BoundedBuffer.Reply<Object>>> state() {
    List<BufferState.ParkedProducer<Object, ActorRef<BoundedBuffer.Reply<Object>>>> parked =
        new ArrayList<>();
    producers.forEach(
        p ->
            parked.add(
                new BufferState.ParkedProducer<>(
                    p.producer(), p.waitId(), p.batch(), p.admitted())));
    List<BufferState.ParkedConsumer<ActorRef<BoundedBuffer.Reply<Object>>>> waiting =
        new ArrayList<>();
    consumers.forEach(
        c ->
            waiting.add(
                new BufferState.ParkedConsumer<>(c.consumer(), c.waitId(), c.max(), c.untilAck())));
    List<BufferState.ParkedJoiner<ActorRef<BoundedBuffer.Reply<Object>>>> joining =
        new ArrayList<>();
    joiners.forEach(j -> joining.add(new BufferState.ParkedJoiner<>(j.joiner(), j.waitId())));
    List<BufferState.InFlight<Object, ActorRef<BoundedBuffer.Reply<Object>>>> held =
        new ArrayList<>();
    inFlight.forEach(
        d -> held.add(new BufferState.InFlight<>(d.deliveryId(), d.consumer(), d.items())));
    return BufferState.restored(
        new BufferState.Snapshot<>(
            capacity,
            atLeastOnce,
            items,
            parked,
            waiting,
            joining,
            held,
            nextDeliveryId,
            unfinished,
            highWater,
            closed,
            shutDownNow));
  }

  /**
   * The record of {@code state}, each parked waiter with its deadline from {@code deadlines} (none
   * if missing), the next waiter to get {@code nextWaitId}.
   */
  public static BufferRecord of(
      BufferState<Object, ActorRef<BoundedBuffer.Reply<Object>>> state,
      Map<Long, Deadline> deadlines,
      long nextWaitId) {
    BufferState.Snapshot<Object, ActorRef<BoundedBuffer.Reply<Object>>> snapshot = state.snapshot();
    List<Producing> parked = new ArrayList<>();
    snapshot
        .producers()
        .forEach(
            p ->
                parked.add(
                    new Producing(
                        p.owner(),
                        p.id(),
                        p.batch(),
                        p.admitted(),
                        deadlineOf(deadlines, p.id()))));
    List<Consuming> waiting = new ArrayList<>();
    snapshot
        .consumers()
        .forEach(
            c ->
                waiting.add(
                    new Consuming(
                        c.owner(), c.id(), c.max(), c.untilAck(), deadlineOf(deadlines, c.id()))));
    List<Joining> joining = new ArrayList<>();
    snapshot
        .joiners()
        .forEach(j -> joining.add(new Joining(j.owner(), j.id(), deadlineOf(deadlines, j.id()))));
    List<Delivered> held = new ArrayList<>();
    snapshot.inFlight().forEach(d -> held.add(new Delivered(d.deliveryId(), d.owner(), d.items())));
    return new BufferRecord(
        snapshot.capacity(),
        snapshot.atLeastOnce(),
        snapshot.items(),
        parked,
        waiting,
        joining,
        held,
        snapshot.nextDeliveryId(),
        snapshot.unfinished(),
        snapshot.highWater(),
        snapshot.closed(),
        snapshot.shutDownNow(),
        nextWaitId);
  }

  private static Deadline deadlineOf(Map<Long, Deadline> deadlines, long waitId) {
    return deadlines.getOrDefault(waitId, Deadline.NONE);
  }

  /** Every parked waiter's deadline, by its wait id. */
  public Map<Long, Deadline> deadlines() {
    Map<Long, Deadline> deadlines = new LinkedHashMap<>();
    producers.forEach(p -> deadlines.put(p.waitId(), p.deadline()));
    consumers.forEach(c -> deadlines.put(c.waitId(), c.deadline()));
    joiners.forEach(j -> deadlines.put(j.waitId(), j.deadline()));
    return deadlines;
  }

  /** Items handed out and not yet acknowledged. */
  public int inFlightItems() {
    return inFlight.stream().mapToInt(delivery -> delivery.items().size()).sum();
  }

  /** Every actor the buffer watches: parked waiters and the holders of deliveries in flight. */
  public Set<ActorRef<?>> involved() {
    Set<ActorRef<?>> refs = new LinkedHashSet<>();
    producers.forEach(p -> refs.add(p.producer()));
    consumers.forEach(c -> refs.add(c.consumer()));
    joiners.forEach(j -> refs.add(j.joiner()));
    inFlight.forEach(d -> refs.add(d.consumer()));
    return refs;
  }

  /** The size report of this buffer, as {@code BoundedBuffer} answers {@code Size}. */
  public BoundedBuffer.SizeIs<Object> sizeIs() {
    return new BoundedBuffer.SizeIs<>(
        items.size(),
        inFlightItems(),
        capacity,
        highWater,
        unfinished,
        closed,
        producers.size(),
        consumers.size());
  }
}
