package dev.actorkit.patterns.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * {@link LatchState} against a reference model: a count that stops at zero and a list of waiters.
 */
class LatchStatePropertiesTest {

  @Property
  void neverCountsBelowZeroAndOpensEveryWaiterOnce(
      @ForAll @IntRange(min = 0, max = 5) int count,
      @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 2) Integer> ops) {
    LatchState<Integer, Void> state = new LatchState<>(count);
    long model = count;
    List<Long> waiting = new ArrayList<>();
    List<Long> opened = new ArrayList<>();
    int who = 0;
    for (int op : ops) {
      if (op == 0) {
        LatchState.CountedDown<Integer, Void> result = state.countDown();
        assertThat(result.refused()).isEqualTo(model == 0);
        if (model > 0) {
          model--;
          assertThat(result.remaining()).isEqualTo(model);
          List<Long> ids = result.opened().stream().map(WaitList.Entry::id).toList();
          assertThat(ids).isEqualTo(model == 0 ? waiting : List.of());
          if (model == 0) {
            opened.addAll(waiting);
            waiting.clear();
          }
        }
      } else {
        WaitList.Entry<Integer, Void> entry = state.await(who++, Duration.ofSeconds(1), id -> null);
        if (model == 0) {
          assertThat(entry).isNull();
        } else {
          waiting.add(entry.id());
        }
      }
      assertThat(state.count()).isEqualTo(model).isNotNegative();
      assertThat(state.waiting()).isEqualTo(waiting.size());
    }
    assertThat(opened).doesNotHaveDuplicates();
  }
}
