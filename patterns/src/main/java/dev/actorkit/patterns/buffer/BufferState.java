package dev.actorkit.patterns.buffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pure state machine of a {@link BoundedBuffer}: the items, the parked producers, the parked
 * consumers, the deliveries not yet acknowledged, and Python's unfinished-task count. No actor
 * types: a waiter is any value {@code W} that says who is waiting (the behaviour uses the reply
 * reference, the property tests a plain string).
 *
 * <p>Every method that can wake someone reports it to the {@link Outbox} it is given, in the order
 * the wake-ups happen. The rules:
 *
 * <ul>
 *   <li><b>Capacity.</b> {@link #used()} — items held, plus items handed out and not yet
 *       acknowledged — never exceeds the capacity. Every delivery waits for its acknowledgement in
 *       at-least-once mode; in at-most-once mode only those a consumer took until acknowledged
 *       (plain-Java clients and streams do, so that a consumer that walks away loses nothing).
 *   <li><b>Order, no barging.</b> Items leave in the buffer's {@link ItemOrder} — first in first
 *       out by default, last in first out, or by priority (equal ones first in first out); parked
 *       producers are admitted in the order they arrived, and a new producer never overtakes a
 *       parked one even when its item would fit; parked consumers are served in the order they
 *       arrived.
 *   <li><b>Batches.</b> A producer's batch is admitted item by item as room appears, in order; its
 *       {@link Outbox#accepted} comes when the last item is in. A consumer asking for up to {@code
 *       n} gets, in one delivery, as many as are there (at least one, at most {@code n}).
 *   <li><b>Close.</b> Parked and later producers are refused; consumers drain what is left, then
 *       get end-of-stream once nothing is held or in flight. {@link #shutdownNow} drops what is
 *       held and ends every consumer's wait at once.
 *   <li><b>Gone.</b> A waiter that goes away leaves every queue; its unacknowledged deliveries go
 *       back to the head of the buffer, oldest first.
 * </ul>
 *
 * <p>Not thread-safe: one actor owns it.
 *
 * @param <T> the item type
 * @param <W> who waits
 */
public final class BufferState<T, W> {

  /**
   * Where the state reports what happened to waiters; the behaviour turns each call into a reply.
   */
  public interface Outbox<T, W> {
    /**
     * A producer's whole batch of {@code count} items is in; {@code level} is the size right after.
     */
    void accepted(W producer, long waiterId, int count, int level);

    /**
     * A producer is refused: the buffer closed while it waited, after {@code admitted} of its
     * items.
     */
    void refused(W producer, long waiterId, int admitted, String reason);

    /**
     * A consumer gets {@code items}; {@code deliveryId} increases by one per delivery. If {@code
     * tracked}, the delivery stays in flight, owned by the consumer, until acknowledged.
     */
    void delivered(
        W consumer, long waiterId, long deliveryId, List<T> items, int level, boolean tracked);

    /** A consumer learns that the buffer is closed and drained. */
    void endOfStream(W consumer, long waiterId);

    /** A joiner learns that every item put has been marked done. */
    void joined(W joiner, long waiterId);

    /** A waiter's deadline passed; it has left its queue. */
    void timedOut(W waiter, long waiterId);
  }

  private record Producer<T, W>(W owner, long id, List<T> items, int[] next) {}

  private record Consumer<W>(W owner, long id, int max, boolean untilAck) {}

  private record Joiner<W>(W owner, long id) {}

  /**
   * Items handed out and not yet acknowledged; an acknowledgement of some drops them from the
   * front.
   */
  private static final class Delivery<T, W> {
    private final W owner;
    private List<T> items;

    Delivery(W owner, List<T> items) {
      this.owner = owner;
      this.items = items;
    }

    W owner() {
      return owner;
    }

    List<T> items() {
      return items;
    }
  }

  private final int capacity;
  private final boolean atLeastOnce;
  private final ItemOrder<T> items;
  private final ArrayDeque<Producer<T, W>> producers = new ArrayDeque<>();
  private final ArrayDeque<Consumer<W>> consumers = new ArrayDeque<>();
  private final ArrayDeque<Joiner<W>> joiners = new ArrayDeque<>();
  private final Map<Long, Delivery<T, W>> inFlight = new LinkedHashMap<>();
  private int inFlightItems;
  private long unfinished;
  private long nextDeliveryId = 1;
  private int highWater;
  private boolean closed;
  private boolean shutDownNow;

  /** A first-in, first-out buffer. */
  public BufferState(int capacity, boolean atLeastOnce) {
    this(capacity, atLeastOnce, ItemOrder.fifo());
  }

  BufferState(int capacity, boolean atLeastOnce, ItemOrder<T> order) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.capacity = capacity;
    this.atLeastOnce = atLeastOnce;
    this.items = order;
  }

  /**
   * A parked producer as {@link #snapshot} exports it and {@link #restored} takes it back: its
   * whole batch, and how many of its items are in the buffer already (the rest wait for room).
   */
  public record ParkedProducer<T, W>(W owner, long id, List<T> batch, int admitted) {
    public ParkedProducer {
      batch = List.copyOf(batch);
      if (admitted < 0 || admitted >= batch.size()) {
        throw new IllegalArgumentException(
            "a parked producer has admitted 0 to "
                + (batch.size() - 1)
                + " items, not "
                + admitted);
      }
    }
  }

  /** A parked consumer: how many items it asks for, and whether it takes them until acked. */
  public record ParkedConsumer<W>(W owner, long id, int max, boolean untilAck) {}

  /** A parked joiner ({@link #join}). */
  public record ParkedJoiner<W>(W owner, long id) {}

  /** A delivery in flight: its id, the consumer that holds it, its items not yet acknowledged. */
  public record InFlight<T, W>(long deliveryId, W owner, List<T> items) {
    public InFlight {
      items = List.copyOf(items);
    }
  }

  /**
   * Everything a buffer is, as plain values: what {@link #snapshot} exports and {@link #restored}
   * rebuilds a first-in, first-out buffer from. Items are listed in the order they leave; every
   * list of waiters in the order they are served.
   *
   * @param nextDeliveryId the id the next delivery gets
   * @param shutDownNow whether it was shut down at once ({@link #shutdownNow})
   */
  public record Snapshot<T, W>(
      int capacity,
      boolean atLeastOnce,
      List<T> items,
      List<ParkedProducer<T, W>> producers,
      List<ParkedConsumer<W>> consumers,
      List<ParkedJoiner<W>> joiners,
      List<InFlight<T, W>> inFlight,
      long nextDeliveryId,
      long unfinished,
      int highWater,
      boolean closed,
      boolean shutDownNow) {
    public Snapshot {
      items = List.copyOf(items);
      producers = List.copyOf(producers);
      consumers = List.copyOf(consumers);
      joiners = List.copyOf(joiners);
      inFlight = List.copyOf(inFlight);
    }
  }

  /**
   * A first-in, first-out buffer rebuilt from {@code snapshot}, as a durable record keeps it (a
   * comparator cannot be kept, so a buffer of another order is not restored as such: its items come
   * back first in, first out in the order they would have left). The parts are taken as they are,
   * without moving anything: a snapshot that {@link #snapshot} exported is at rest (nobody parked
   * who could move). One whose items and in-flight deliveries exceed the capacity is refused.
   */
  public static <T, W> BufferState<T, W> restored(Snapshot<T, W> snapshot) {
    BufferState<T, W> state = new BufferState<>(snapshot.capacity(), snapshot.atLeastOnce());
    snapshot.items().forEach(state.items::add);
    for (ParkedProducer<T, W> producer : snapshot.producers()) {
      state.producers.addLast(
          new Producer<>(
              producer.owner(), producer.id(), producer.batch(), new int[] {producer.admitted()}));
    }
    for (ParkedConsumer<W> consumer : snapshot.consumers()) {
      state.consumers.addLast(
          new Consumer<>(consumer.owner(), consumer.id(), consumer.max(), consumer.untilAck()));
    }
    for (ParkedJoiner<W> joiner : snapshot.joiners()) {
      state.joiners.addLast(new Joiner<>(joiner.owner(), joiner.id()));
    }
    for (InFlight<T, W> delivery : snapshot.inFlight()) {
      state.inFlight.put(delivery.deliveryId(), new Delivery<>(delivery.owner(), delivery.items()));
      state.inFlightItems += delivery.items().size();
    }
    if (state.used() > state.capacity) {
      throw new IllegalArgumentException(
          state.used() + " items held and in flight exceed the capacity " + state.capacity);
    }
    state.nextDeliveryId = snapshot.nextDeliveryId();
    state.unfinished = snapshot.unfinished();
    state.highWater = snapshot.highWater();
    state.closed = snapshot.closed();
    state.shutDownNow = snapshot.shutDownNow();
    return state;
  }

  /**
   * This buffer as plain values, for a durable record: see {@link Snapshot}. O(items + waiters +
   * deliveries in flight).
   */
  public Snapshot<T, W> snapshot() {
    List<ParkedProducer<T, W>> parkedProducers = new ArrayList<>();
    producers.forEach(
        p -> parkedProducers.add(new ParkedProducer<>(p.owner(), p.id(), p.items(), p.next()[0])));
    List<ParkedConsumer<W>> parkedConsumers = new ArrayList<>();
    consumers.forEach(
        c -> parkedConsumers.add(new ParkedConsumer<>(c.owner(), c.id(), c.max(), c.untilAck())));
    List<ParkedJoiner<W>> parkedJoiners = new ArrayList<>();
    joiners.forEach(j -> parkedJoiners.add(new ParkedJoiner<>(j.owner(), j.id())));
    List<InFlight<T, W>> held = new ArrayList<>();
    inFlight.forEach((id, d) -> held.add(new InFlight<>(id, d.owner(), d.items())));
    return new Snapshot<>(
        capacity,
        atLeastOnce,
        items.inLeavingOrder(),
        parkedProducers,
        parkedConsumers,
        parkedJoiners,
        held,
        nextDeliveryId,
        unfinished,
        highWater,
        closed,
        shutDownNow);
  }

  /**
   * A producer puts {@code batch} (one or more items, in order). Refused at once if closed;
   * otherwise admitted as far as room allows, and parked for the rest unless someone is already
   * parked ahead.
   *
   * @return true if the producer is now parked (the caller starts its deadline, if any)
   */
  public boolean put(W producer, long waiterId, List<T> batch, Outbox<T, W> out) {
    if (closed) {
      out.refused(producer, waiterId, 0, "the buffer is closed");
      return false;
    }
    producers.addLast(new Producer<>(producer, waiterId, batch, new int[1]));
    pump(out);
    return isParkedProducer(waiterId);
  }

  /**
   * A consumer asks for up to {@code max} items. Served at once if items are there (and no one is
   * parked ahead), answered end-of-stream if closed and drained, otherwise parked. With {@code
   * untilAck} (always so in at-least-once mode) the delivery stays in flight, counted against the
   * capacity and owned by the consumer, until it is acknowledged; if the consumer goes away first,
   * its items go back to the head.
   *
   * @return true if the consumer is now parked
   */
  public boolean take(W consumer, long waiterId, int max, boolean untilAck, Outbox<T, W> out) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, was " + max);
    }
    if (shutDownNow) {
      out.endOfStream(consumer, waiterId);
      return false;
    }
    consumers.addLast(new Consumer<>(consumer, waiterId, max, untilAck || atLeastOnce));
    pump(out);
    return isParkedConsumer(waiterId);
  }

  /** Python's {@code join()}: answered at once if nothing is unfinished, else parked. */
  public boolean join(W joiner, long waiterId, Outbox<T, W> out) {
    if (unfinished == 0) {
      out.joined(joiner, waiterId);
      return false;
    }
    joiners.addLast(new Joiner<>(joiner, waiterId));
    return true;
  }

  /**
   * Python's {@code task_done()}, {@code count} times.
   *
   * @return false, with nothing changed, if that is more than the items put and not yet done
   */
  public boolean taskDone(int count, Outbox<T, W> out) {
    if (count < 1 || count > unfinished) {
      return false;
    }
    unfinished -= count;
    if (unfinished == 0) {
      while (!joiners.isEmpty()) {
        Joiner<W> joiner = joiners.pollFirst();
        out.joined(joiner.owner(), joiner.id());
      }
    }
    return true;
  }

  /**
   * Acknowledges the first {@code count} items of a delivery in flight (all of them if {@code
   * count} is its size or more), freeing their room; the rest stay in flight, owned as before.
   *
   * @return false if no such delivery is in flight (already acknowledged, requeued, or never made)
   *     or the count is not positive
   */
  public boolean ack(long deliveryId, int count, Outbox<T, W> out) {
    Delivery<T, W> delivery = inFlight.get(deliveryId);
    if (delivery == null || count < 1) {
      return false;
    }
    int size = delivery.items().size();
    if (count >= size) {
      inFlight.remove(deliveryId);
      inFlightItems -= size;
    } else {
      delivery.items = List.copyOf(delivery.items().subList(count, size));
      inFlightItems -= count;
    }
    pump(out);
    return true;
  }

  /**
   * Closes the buffer: parked producers are refused, consumers drain and then see end-of-stream.
   */
  public void close(Outbox<T, W> out) {
    if (closed) {
      return;
    }
    closed = true;
    while (!producers.isEmpty()) {
      Producer<T, W> producer = producers.pollFirst();
      out.refused(
          producer.owner(),
          producer.id(),
          producer.next()[0],
          "the buffer was closed while the producer waited");
    }
    pump(out);
  }

  /**
   * Python's {@code shutdown(immediate=True)}: closes the buffer and drops every item it holds (the
   * unfinished count falls by as many, which may release joiners); every parked consumer gets
   * end-of-stream at once, and so does every later take. Deliveries in flight stay with their
   * consumers; any given back later is dropped too.
   *
   * @return how many items were dropped
   */
  public int shutdownNow(Outbox<T, W> out) {
    close(out);
    shutDownNow = true;
    int dropped = items.clear();
    drop(dropped, out);
    while (!consumers.isEmpty()) {
      Consumer<W> consumer = consumers.pollFirst();
      out.endOfStream(consumer.owner(), consumer.id());
    }
    return dropped;
  }

  /** {@code dropped} items will never be taken: they count as done. */
  private void drop(int dropped, Outbox<T, W> out) {
    if (dropped > 0) {
      unfinished -= Math.min(dropped, unfinished);
      if (unfinished == 0) {
        while (!joiners.isEmpty()) {
          Joiner<W> joiner = joiners.pollFirst();
          out.joined(joiner.owner(), joiner.id());
        }
      }
    }
  }

  /**
   * The deadline of waiter {@code waiterId} passed; if it is still parked it leaves and times out.
   */
  public boolean expire(long waiterId, Outbox<T, W> out) {
    for (Iterator<Producer<T, W>> it = producers.iterator(); it.hasNext(); ) {
      Producer<T, W> producer = it.next();
      if (producer.id() == waiterId) {
        it.remove();
        out.timedOut(producer.owner(), waiterId);
        pump(out);
        return true;
      }
    }
    for (Iterator<Consumer<W>> it = consumers.iterator(); it.hasNext(); ) {
      Consumer<W> consumer = it.next();
      if (consumer.id() == waiterId) {
        it.remove();
        out.timedOut(consumer.owner(), waiterId);
        return true;
      }
    }
    for (Iterator<Joiner<W>> it = joiners.iterator(); it.hasNext(); ) {
      Joiner<W> joiner = it.next();
      if (joiner.id() == waiterId) {
        it.remove();
        out.timedOut(joiner.owner(), waiterId);
        return true;
      }
    }
    return false;
  }

  /**
   * {@code who} has gone away (it died). It leaves every queue without a reply; the items of its
   * batch already admitted stay. The items it held unacknowledged go back to the head of the
   * buffer, oldest delivery first, and are handed to the next consumer.
   *
   * @return how many items went back to the buffer
   */
  public int gone(W who, Outbox<T, W> out) {
    producers.removeIf(producer -> producer.owner().equals(who));
    consumers.removeIf(consumer -> consumer.owner().equals(who));
    joiners.removeIf(joiner -> joiner.owner().equals(who));
    List<T> back = new ArrayList<>();
    for (Iterator<Delivery<T, W>> it = inFlight.values().iterator(); it.hasNext(); ) {
      Delivery<T, W> delivery = it.next();
      if (delivery.owner().equals(who)) {
        back.addAll(delivery.items());
        it.remove();
      }
    }
    inFlightItems -= back.size();
    if (shutDownNow) {
      drop(back.size(), out); // the buffer was shut down at once: nothing is taken from it any more
      return 0;
    }
    items.putBack(back);
    pump(out);
    return back.size();
  }

  /**
   * {@code who} withdraws what it waits for: it leaves every queue without a reply (the items of a
   * batch already admitted stay; what it holds in flight stays held until it acknowledges or goes
   * away).
   *
   * @return whether it was waiting for anything
   */
  public boolean withdraw(W who, Outbox<T, W> out) {
    boolean waited =
        producers.removeIf(producer -> producer.owner().equals(who))
            | consumers.removeIf(consumer -> consumer.owner().equals(who))
            | joiners.removeIf(joiner -> joiner.owner().equals(who));
    pump(out);
    return waited;
  }

  /**
   * Whether {@code who} is parked or holds a delivery, so the behaviour knows to keep watching it.
   */
  public boolean involves(W who) {
    for (Producer<T, W> producer : producers) {
      if (producer.owner().equals(who)) {
        return true;
      }
    }
    for (Consumer<W> consumer : consumers) {
      if (consumer.owner().equals(who)) {
        return true;
      }
    }
    for (Joiner<W> joiner : joiners) {
      if (joiner.owner().equals(who)) {
        return true;
      }
    }
    for (Delivery<T, W> delivery : inFlight.values()) {
      if (delivery.owner().equals(who)) {
        return true;
      }
    }
    return false;
  }

  /** Moves items while something can move: consumers take, producers fill the room taken. */
  private void pump(Outbox<T, W> out) {
    boolean moved;
    do {
      moved = false;
      while (!consumers.isEmpty() && !items.isEmpty()) {
        Consumer<W> consumer = consumers.pollFirst();
        int n = Math.min(consumer.max(), items.size());
        List<T> batch;
        if (n == 1) {
          batch = List.of(items.poll());
        } else {
          List<T> taken = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            taken.add(items.poll());
          }
          batch = taken;
        }
        long deliveryId = nextDeliveryId++;
        if (consumer.untilAck()) {
          inFlight.put(deliveryId, new Delivery<>(consumer.owner(), batch));
          inFlightItems += n;
        }
        out.delivered(
            consumer.owner(), consumer.id(), deliveryId, batch, items.size(), consumer.untilAck());
      }
      while (!producers.isEmpty() && used() < capacity) {
        Producer<T, W> producer = producers.peekFirst();
        int[] next = producer.next();
        List<T> batch = producer.items();
        while (next[0] < batch.size() && used() < capacity) {
          items.add(batch.get(next[0]++));
          unfinished++;
        }
        highWater = Math.max(highWater, used());
        if (next[0] == batch.size()) {
          producers.pollFirst();
          out.accepted(producer.owner(), producer.id(), batch.size(), items.size());
        }
        moved = true;
      }
    } while (moved && !consumers.isEmpty() && !items.isEmpty());
    if (closed && items.isEmpty() && inFlight.isEmpty()) {
      while (!consumers.isEmpty()) {
        Consumer<W> consumer = consumers.pollFirst();
        out.endOfStream(consumer.owner(), consumer.id());
      }
    }
  }

  private boolean isParkedProducer(long waiterId) {
    Producer<T, W> last = producers.peekLast();
    return last != null && last.id() == waiterId;
  }

  private boolean isParkedConsumer(long waiterId) {
    Consumer<W> last = consumers.peekLast();
    return last != null && last.id() == waiterId;
  }

  /**
   * Items held plus items handed out and not yet acknowledged (every delivery in at-least-once
   * mode; those taken until acknowledged otherwise).
   */
  public int used() {
    return items.size() + inFlightItems;
  }

  /** Items held in the buffer now (Python's {@code qsize()}). */
  public int size() {
    return items.size();
  }

  /**
   * Items handed out and not yet acknowledged (in at-most-once mode, only those taken until
   * acknowledged).
   */
  public int inFlight() {
    return inFlightItems;
  }

  /**
   * The most items the buffer has held (with in-flight ones in at-least-once mode) at any moment.
   */
  public int highWater() {
    return highWater;
  }

  public int capacity() {
    return capacity;
  }

  public boolean atLeastOnce() {
    return atLeastOnce;
  }

  public boolean closed() {
    return closed;
  }

  /** Items put and not yet marked done (Python's {@code unfinished_tasks}). */
  public long unfinished() {
    return unfinished;
  }

  public int parkedProducers() {
    return producers.size();
  }

  public int parkedConsumers() {
    return consumers.size();
  }
}
