package dev.actorkit.patterns.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** PipeEndState against a plain queue: FIFO values, FIFO receivers, EOF only after the drain. */
class PipeEndStateProperties {

  @Property(tries = 300)
  void behavesLikeAQueueWithAnEndOfStream(@ForAll @Size(max = 60) List<@IntRange(min = 0, max = 3) Integer> ops) {
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
        var handoff = state.deliver(new Payload.IntValue(value));
        if (handoff.isPresent()) {
          assertThat(model).isEmpty();
          assertThat(handoff.get().receiver()).isEqualTo(waiting.pollFirst());
          received.add((Integer) handoff.get().payload().value());
        } else {
          assertThat(waiting).isEmpty();
          model.addLast(value);
        }
      } else if (op == 1) { // recv that may wait
        long id = ids++;
        PipeEndState.Take take = state.receive(id, id, true);
        if (!model.isEmpty()) {
          assertThat(take).isEqualTo(new PipeEndState.Value(new Payload.IntValue(model.pollFirst())));
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
        List<Long> eof = state.peerClosedNow();
        assertThat(eof).containsExactlyElementsOf(model.isEmpty() ? List.copyOf(waiting) : List.of());
        if (model.isEmpty()) {
          waiting.clear();
        }
      }
      assertThat(state.pending()).isEqualTo(model.size());
    }
    // Whatever was received came out in the order it was delivered, with nothing skipped.
    assertThat(received).isEqualTo(delivered.subList(0, received.size()));
  }
}
