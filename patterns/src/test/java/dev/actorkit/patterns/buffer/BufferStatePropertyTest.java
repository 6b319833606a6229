package dev.actorkit.patterns.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random interleavings of put, offer, take, poll, request, ack, consumer death, task_done, join and
 * close, driven against {@link BufferState} and checked against what a FIFO queue must do.
 */
class BufferStatePropertyTest {

  /** An item: which producer made it, and its number in that producer's sequence. */
  record Item(int producer, int seq) {}

  enum Kind {
    PUT,
    PUT_ALL,
    OFFER_NOWAIT,
    TAKE,
    REQUEST,
    POLL_EXPIRE,
    ACK,
    CONSUMER_DIES,
    TASK_DONE,
    JOIN,
    CLOSE
  }

  record Op(Kind kind, int who, int n) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Op> op =
        Combinators.combine(
                Arbitraries.of(Kind.class),
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(1, 4))
            .as(Op::new);
    return op.list().ofMinSize(1).ofMaxSize(60);
  }

  /** Records every wake-up the state reports. */
  static final class Recorder implements BufferState.Outbox<Item, String> {
    final List<Long> deliveryIds = new ArrayList<>();
    final Map<Long, List<Item>> deliveries = new LinkedHashMap<>();
    final Map<Long, String> deliveredTo = new HashMap<>();
    final Map<Long, Integer> acceptedWaiters = new HashMap<>();
    final Map<Long, Integer> refusedWaiters = new HashMap<>();
    final Set<Long> timedOut = new HashSet<>();
    final Set<Long> ended = new HashSet<>();
    final Set<Long> joined = new HashSet<>();
    BufferState<Item, String> state;
    long doneCount;
    long deliveredCount;

    @Override
    public void accepted(String producer, long waiterId, int count, int level) {
      acceptedWaiters.put(waiterId, count);
      assertThat(level).isLessThanOrEqualTo(state.capacity());
    }

    @Override
    public void refused(String producer, long waiterId, int admitted, String reason) {
      refusedWaiters.put(waiterId, admitted);
    }

    @Override
    public void delivered(
        String consumer,
        long waiterId,
        long deliveryId,
        List<Item> items,
        int level,
        boolean tracked) {
      assertThat(items).isNotEmpty();
      if (!deliveryIds.isEmpty()) {
        assertThat(deliveryId).isGreaterThan(deliveryIds.get(deliveryIds.size() - 1));
      }
      deliveryIds.add(deliveryId);
      deliveries.put(deliveryId, items);
      deliveredTo.put(deliveryId, consumer);
      deliveredCount += items.size();
    }

    @Override
    public void endOfStream(String consumer, long waiterId) {
      ended.add(waiterId);
    }

    @Override
    public void joined(String joiner, long waiterId) {
      joined.add(waiterId);
      assertThat(state.unfinished()).isZero();
    }

    @Override
    public void timedOut(String waiter, long waiterId) {
      timedOut.add(waiterId);
    }
  }

  @Property(tries = 300)
  void atMostOnceIsAFifoQueue(@ForAll("ops") List<Op> ops, @ForAll boolean bigCapacity) {
    run(ops, bigCapacity ? 8 : 2, false);
  }

  @Property(tries = 300)
  void atLeastOnceLosesNothingWhenConsumersDie(
      @ForAll("ops") List<Op> ops, @ForAll boolean bigCapacity) {
    run(ops, bigCapacity ? 8 : 2, true);
  }

  /**
   * The same scripts on a buffer rebuilt from its snapshot before every step, as a durable buffer
   * rebuilds it from its record: every rule holds as on the one that was never rebuilt.
   */
  @Property(tries = 300)
  void aBufferRebuiltFromItsSnapshotAtEveryStepIsTheSameQueue(
      @ForAll("ops") List<Op> ops, @ForAll boolean bigCapacity, @ForAll boolean atLeastOnce) {
    run(ops, bigCapacity ? 8 : 2, atLeastOnce, true);
  }

  private void run(List<Op> ops, int capacity, boolean atLeastOnce) {
    run(ops, capacity, atLeastOnce, false);
  }

  private void run(List<Op> ops, int capacity, boolean atLeastOnce, boolean rebuild) {
    BufferState<Item, String> state = new BufferState<>(capacity, atLeastOnce);
    Recorder out = new Recorder();
    out.state = state;
    int[] nextSeq = new int[3];
    Map<Long, List<Item>> batches = new HashMap<>();
    long waiterId = 0;
    int generation = 0;
    boolean closed = false;
    List<Long> joins = new ArrayList<>();

    for (Op op : ops) {
      if (rebuild) {
        BufferState.Snapshot<Item, String> snapshot = state.snapshot();
        state = BufferState.restored(snapshot);
        assertThat(state.snapshot()).isEqualTo(snapshot);
        out.state = state;
      }
      String producer = "producer-" + op.who();
      String consumer = "consumer-" + op.who() + "-" + generation;
      switch (op.kind()) {
        case PUT, PUT_ALL, OFFER_NOWAIT -> {
          int n = op.kind() == Kind.PUT_ALL ? op.n() : 1;
          List<Item> batch = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            batch.add(new Item(op.who(), nextSeq[op.who()]++));
          }
          long id = ++waiterId;
          batches.put(id, batch);
          boolean parked = state.put(producer, id, batch, out);
          if (closed) {
            assertThat(out.refusedWaiters).containsEntry(id, 0);
          }
          if (parked && op.kind() == Kind.OFFER_NOWAIT) {
            // put_nowait: the deadline is zero; a parked offer admitted nothing (one item).
            assertThat(state.expire(id, out)).isTrue();
            assertThat(out.timedOut).contains(id);
            nextSeq[op.who()]--;
            batches.remove(id);
          }
        }
        case TAKE, REQUEST ->
            state.take(consumer, ++waiterId, op.kind() == Kind.TAKE ? 1 : op.n(), false, out);
        case POLL_EXPIRE -> {
          long id = ++waiterId;
          if (state.take(consumer, id, 1, false, out)) {
            assertThat(state.expire(id, out)).isTrue();
          }
        }
        case ACK -> {
          if (!out.deliveryIds.isEmpty()) {
            state.ack(out.deliveryIds.get(op.n() % out.deliveryIds.size()), Integer.MAX_VALUE, out);
          }
        }
        case CONSUMER_DIES -> {
          int before = state.size();
          int back = state.gone(consumer, out);
          if (!atLeastOnce) {
            assertThat(back).isZero();
          }
          generation++;
          assertThat(state.size() + out.deliveredCount).isGreaterThanOrEqualTo(before);
        }
        case TASK_DONE -> {
          long unfinishedBefore = state.unfinished();
          boolean ok = state.taskDone(1, out);
          assertThat(ok).isEqualTo(unfinishedBefore > 0);
          if (ok) {
            out.doneCount++;
          }
        }
        case JOIN -> {
          long id = ++waiterId;
          boolean parked = state.join("joiner", id, out);
          assertThat(parked).isEqualTo(state.unfinished() > 0);
          if (parked) {
            joins.add(id);
          }
        }
        case CLOSE -> {
          state.close(out);
          closed = true;
          assertThat(state.parkedProducers()).isZero();
        }
      }
      assertThat(state.used()).isLessThanOrEqualTo(capacity);
      assertThat(state.size()).isLessThanOrEqualTo(capacity);
      assertThat(state.highWater()).isLessThanOrEqualTo(capacity);
      if (!atLeastOnce) {
        assertThat(state.unfinished()).isEqualTo(out.deliveredCount + state.size() - out.doneCount);
      }
      if (state.unfinished() == 0) {
        // join completes as soon as every item is done (and, by the recorder, never before).
        assertThat(out.joined).containsAll(joins);
      }
    }

    // Drain: close, acknowledge everything, take until end-of-stream.
    state.close(out);
    for (int round = 0; round < 1000; round++) {
      for (Long id : new ArrayList<>(out.deliveries.keySet())) {
        state.ack(id, Integer.MAX_VALUE, out);
      }
      long id = ++waiterId;
      state.take("drainer", id, 3, false, out);
      if (out.ended.contains(id)) {
        break;
      }
    }
    assertThat(state.size()).isZero();
    assertThat(state.inFlight()).isZero();

    // What was admitted: whole batches accepted, the admitted prefix of refused ones.
    List<Item> admitted = new ArrayList<>();
    for (Map.Entry<Long, List<Item>> batch : batches.entrySet()) {
      Integer whole = out.acceptedWaiters.get(batch.getKey());
      Integer prefix = out.refusedWaiters.get(batch.getKey());
      int n = whole != null ? whole : prefix != null ? prefix : 0;
      admitted.addAll(batch.getValue().subList(0, n));
    }
    List<Item> delivered = new ArrayList<>();
    out.deliveries.values().forEach(delivered::addAll);

    // Nothing lost; nothing duplicated unless a consumer died holding it (at-least-once).
    assertThat(new HashSet<>(delivered)).isEqualTo(new HashSet<>(admitted));
    if (!atLeastOnce) {
      assertThat(delivered).hasSameSizeAs(admitted);
      // Order kept per producer: every producer's items come out in the order it made them.
      for (int p = 0; p < 3; p++) {
        int last = -1;
        for (Item item : delivered) {
          if (item.producer() == p) {
            assertThat(item.seq()).isGreaterThan(last);
            last = item.seq();
          }
        }
      }
    }

    // join completes exactly when every admitted item is done.
    long unfinished = admitted.size() - out.doneCount;
    assertThat(state.unfinished()).isEqualTo(unfinished);
    for (Long id : joins) {
      assertThat(out.joined.contains(id) || out.timedOut.contains(id))
          .isEqualTo(out.joined.contains(id));
    }
    if (unfinished > 0) {
      assertThat(state.taskDone((int) unfinished, out)).isTrue();
      assertThat(out.joined).containsAll(joins);
    }
    assertThat(state.taskDone(1, out)).isFalse();
  }
}
