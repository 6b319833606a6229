package dev.actorkit.patterns.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link EventState} against a reference model: a flag and a list of (id, who) in arrival order.
 */
class EventStatePropertiesTest {

  record Op(int kind, int who, int pick) {}

  record Pending(long id, int who) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    return Arbitraries.integers()
        .between(0, 4)
        .flatMap(
            kind ->
                Arbitraries.integers()
                    .between(0, 4)
                    .flatMap(
                        who ->
                            Arbitraries.integers()
                                .between(0, 20)
                                .map(pick -> new Op(kind, who, pick))))
        .list()
        .ofMaxSize(60);
  }

  @Property
  void behavesLikeTheModelAndAnswersEveryWaitAtMostOnce(@ForAll("ops") List<Op> ops) {
    EventState<Integer, Long> state = new EventState<>(false);
    boolean set = false;
    List<Pending> pending = new ArrayList<>();
    Set<Long> answered = new HashSet<>();

    for (Op op : ops) {
      switch (op.kind()) {
        case 0 -> {
          WaitList.Entry<Integer, Long> entry =
              state.await(op.who(), Duration.ofSeconds(1), id -> id);
          if (set) {
            assertThat(entry).isNull();
          } else {
            assertThat(entry.attachment()).isEqualTo(entry.id());
            pending.add(new Pending(entry.id(), op.who()));
          }
        }
        case 1 -> {
          List<Pending> woken =
              state.set().stream().map(e -> new Pending(e.id(), e.who())).toList();
          assertThat(woken).isEqualTo(set ? List.of() : pending);
          woken.forEach(p -> assertThat(answered.add(p.id())).isTrue());
          if (!set) {
            pending.clear();
          }
          set = true;
        }
        case 2 -> {
          assertThat(state.clear()).isEqualTo(set);
          set = false;
        }
        case 3 -> {
          long id = op.pick();
          WaitList.Entry<Integer, Long> expired = state.expire(id);
          boolean wasPending = pending.removeIf(p -> p.id() == id);
          assertThat(expired != null).isEqualTo(wasPending);
          if (expired != null) {
            assertThat(answered.add(id)).isTrue();
          }
        }
        default -> {
          List<Long> dropped = state.drop(op.who()).stream().map(WaitList.Entry::id).toList();
          List<Long> expected =
              pending.stream().filter(p -> p.who() == op.who()).map(Pending::id).toList();
          assertThat(dropped).isEqualTo(expected);
          pending.removeIf(p -> p.who() == op.who());
          dropped.forEach(id -> assertThat(answered.add(id)).isTrue());
        }
      }
      assertThat(state.isSet()).isEqualTo(set);
      assertThat(state.waiting()).isEqualTo(pending.size());
      if (set) {
        assertThat(state.waiting()).isZero();
      }
      for (int who = 0; who < 5; who++) {
        final int w = who;
        assertThat(state.isWaiting(who)).isEqualTo(pending.stream().anyMatch(p -> p.who() == w));
      }
    }
  }
}
