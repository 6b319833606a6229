package dev.actorkit.patterns.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.actorkit.core.Payload;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** PipeEndState against a plain queue: FIFO values, FIFO receivers, EOF only after the drain. */
class PipeEndStateProperties {

  @Property(tries = 300)
  void behavesLikeAQueueWithAnEndOfStream(
      @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 3) Integer> ops) {
    PipeEndState<Long> state = new PipeEndState<>(true, true);
    ArrayDeque<Integer> model = new ArrayDeque<>();
    ArrayDeque<Long> waiting = new ArrayDeque<>();
    List<Integer> delivered = new ArrayList<>();
    List<Integer> received = new ArrayList<>();
    boolean peerClosed = false;
    long ids = 0;
    int next = 0;
    for (int op : ops) {
      if (op == 0 && !peerClosed) { // the peer sends
        int value = next++;
        delivered.add(value);
        var handoffs = state.deliver(value, new Payload.IntValue(value));
        if (!handoffs.isEmpty()) {
          assertThat(model).isEmpty();
          assertThat(handoffs).hasSize(1);
          assertThat(handoffs.get(0).receiver()).isEqualTo(waiting.pollFirst());
          received.add((Integer) handoffs.get(0).payload().value());
        } else {
          assertThat(waiting).isEmpty();
          model.addLast(value);
        }
      } else if (op == 1) { // recv that may wait
        long id = ids++;
        PipeEndState.Take take = state.receive(id, id, true);
        if (!model.isEmpty()) {
          assertThat(((PipeEndState.Value) take).payload())
              .isEqualTo(new Payload.IntValue(model.pollFirst()));
          received.add((Integer) ((PipeEndState.Value) take).payload().value());
        } else if (peerClosed) {
          assertThat(take).isEqualTo(PipeEndState.Eof.INSTANCE);
        } else {
          assertThat(take).isEqualTo(PipeEndState.Wait.INSTANCE);
          waiting.addLast(id);
        }
      } else if (op == 2 && !waiting.isEmpty()) { // the longest waiter times out
        long id = waiting.pollFirst();
        assertThat(state.leave(id)).contains(id);
      } else if (op == 3 && !peerClosed) {
        peerClosed = true;
        List<Long> eof = state.peerClosedAfter(next);
        assertThat(eof)
            .containsExactlyElementsOf(model.isEmpty() ? List.copyOf(waiting) : List.of());
        if (model.isEmpty()) {
          waiting.clear();
        }
      }
      assertThat(state.pending()).isEqualTo(model.size());
    }
    // Whatever was received came out in the order it was delivered, with nothing skipped.
    assertThat(received).isEqualTo(delivered.subList(0, received.size()));
  }

  /**
   * Values that overtake each other on the way (an end that moved: some forwarded by its old home,
   * some sent directly) are received exactly once each, in the order they were sent, whatever order
   * they arrive in, duplicates included; the end of the stream comes only after the last.
   */
  @Property(tries = 300)
  void numberedValuesAreReceivedInSendingOrderWhateverOrderTheyArriveIn(
      @ForAll("arrivals") List<Integer> arrivals,
      @ForAll @IntRange(min = 0, max = 40) int closeAfterArrivals) {
    PipeEndState<Long> state = new PipeEndState<>(true, true);
    int sent = (int) arrivals.stream().distinct().count();
    List<Integer> received = new ArrayList<>();
    List<Long> endOfStream = new ArrayList<>();
    state.receive(-1, -1L, true); // one receiver already waiting when the first value arrives
    for (int i = 0; i < arrivals.size(); i++) {
      if (i == closeAfterArrivals) {
        endOfStream.addAll(state.peerClosedAfter(sent));
      }
      int seq = arrivals.get(i);
      state
          .deliver(seq, new Payload.IntValue(seq))
          .forEach(h -> received.add((Integer) h.payload().value()));
      endOfStream.addAll(state.takeEndOfStreamWaiters());
    }
    if (closeAfterArrivals >= arrivals.size()) {
      endOfStream.addAll(state.peerClosedAfter(sent));
    }
    assertThat(endOfStream).isEmpty(); // the waiting receiver got the first value instead
    for (PipeEndState.Take take = state.receive(0, 0L, false);
        take instanceof PipeEndState.Value value;
        take = state.receive(0, 0L, false)) {
      received.add((Integer) value.payload().value());
    }
    assertThat(received).containsExactlyElementsOf(IntStream.range(0, sent).boxed().toList());
    assertThat(state.receive(1, 1L, true)).isEqualTo(PipeEndState.Eof.INSTANCE);
  }

  /** The numbers 0..n-1 in any order, some of them twice. */
  @Provide
  Arbitrary<List<Integer>> arrivals() {
    return Arbitraries.integers()
        .between(1, 30)
        .flatMap(
            n ->
                Arbitraries.integers()
                    .between(0, n - 1)
                    .list()
                    .ofMaxSize(5)
                    .map(
                        repeats -> {
                          List<Integer> all =
                              new ArrayList<>(IntStream.range(0, n).boxed().toList());
                          all.addAll(repeats);
                          return all;
                        }))
        .flatMap(all -> Arbitraries.shuffle(all));
  }
}
