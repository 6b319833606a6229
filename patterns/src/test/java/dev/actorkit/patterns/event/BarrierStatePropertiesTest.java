package dev.actorkit.patterns.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link BarrierState} against a reference model: parties, a generation counter, a broken flag, an
 * arrival list.
 */
class BarrierStatePropertiesTest {

  record Op(int kind, int who, int pick) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    return Arbitraries.integers()
        .between(0, 5)
        .flatMap(
            kind ->
                Arbitraries.integers()
                    .between(0, 3)
                    .flatMap(
                        who ->
                            Arbitraries.integers()
                                .between(0, 30)
                                .map(pick -> new Op(kind, who, pick))))
        .list()
        .ofMaxSize(80);
  }

  @Property
  void behavesLikeTheModel(
      @ForAll @IntRange(min = 1, max = 4) int parties, @ForAll("ops") List<Op> ops) {
    BarrierState<Integer, Void> state = new BarrierState<>(parties);
    long generation = 0;
    boolean broken = false;
    List<long[]> arrivals = new ArrayList<>(); // {id, who}

    for (Op op : ops) {
      switch (op.kind()) {
        case 0, 1 -> { // arrive
          if (broken) {
            assertThat(state.isBroken()).isTrue();
          } else if (arrivals.size() + 1 == parties) {
            BarrierState.Tripped<Integer, Void> tripped = state.trip();
            assertThat(tripped.generation()).isEqualTo(generation);
            assertThat(tripped.waiters().stream().map(WaitList.Entry::id).toList())
                .isEqualTo(arrivals.stream().map(a -> a[0]).toList());
            arrivals.clear();
            generation++;
          } else {
            WaitList.Entry<Integer, Void> entry =
                state.await(op.who(), Duration.ofSeconds(1), id -> null);
            arrivals.add(new long[] {entry.id(), op.who()});
          }
        }
        case 2 -> { // a timer fires
          BarrierState.Broke<Integer, Void> broke = state.expire(op.pick());
          boolean wasWaiting = arrivals.stream().anyMatch(a -> a[0] == op.pick());
          assertThat(broke != null).isEqualTo(wasWaiting);
          if (wasWaiting) {
            assertThat(broke.others()).hasSize(arrivals.size() - 1);
            arrivals.clear();
            broken = true;
          }
        }
        case 3 -> { // a party dies
          BarrierState.Broke<Integer, Void> broke = state.partyDied(op.who());
          long mine = arrivals.stream().filter(a -> a[1] == op.who()).count();
          assertThat(broke != null).isEqualTo(mine > 0);
          if (mine > 0) {
            assertThat(broke.others()).hasSize((int) (arrivals.size() - mine));
            arrivals.clear();
            broken = true;
          }
        }
        case 4 -> { // reset
          assertThat(state.reset()).hasSize(arrivals.size());
          arrivals.clear();
          broken = false;
          generation++;
        }
        default -> { // abort
          assertThat(state.breakBarrier()).hasSize(arrivals.size());
          arrivals.clear();
          broken = true;
        }
      }
      assertThat(state.generation()).isEqualTo(generation);
      assertThat(state.isBroken()).isEqualTo(broken);
      assertThat(state.waiting()).isEqualTo(arrivals.size()).isLessThan(parties);
      if (broken) {
        assertThat(state.waiting()).isZero();
      }
    }
  }
}
