package dev.actorkit.patterns.semaphore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.actorkit.patterns.semaphore.WaitQueue.Waiter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Worked examples of the rules the properties check at random. */
class SemaphoreStateTest {

  @Test
  void aLargeRequestAtTheHeadIsNotStarvedByAStreamOfSmallOnes() {
    SemaphoreState<String, String> state = new SemaphoreState<>(3, true);
    state.grantNow("a", 1);
    state.grantNow("b", 1);
    Waiter<String, String> big = state.enqueue("big", 3, "big");
    List<String> granted = new ArrayList<>();
    // A stream of small requests arrives while one permit is free: none barges past the head.
    for (int i = 0; i < 10; i++) {
      assertThat(state.canGrantNow(1)).isFalse();
      state.enqueue("small" + i, 1, "small" + i);
    }
    assertThat(state.available()).isEqualTo(1);
    state.release("a", 1);
    state.grantWaiting((w, token) -> granted.add(w.attachment()));
    assertThat(granted).isEmpty();
    state.release("b", 1);
    state.grantWaiting((w, token) -> granted.add(w.attachment()));
    assertThat(granted).containsExactly("big");
    assertThat(big.status()).isEqualTo(Waiter.Status.GRANTED);
    state.release("big", 3);
    state.grantWaiting((w, token) -> granted.add(w.attachment()));
    assertThat(granted).containsExactly("big", "small0", "small1", "small2");
  }

  @Test
  void whenTheHeadTimesOutTheWaitersBehindItGoIn() {
    SemaphoreState<String, String> state = new SemaphoreState<>(2, true);
    state.grantNow("a", 1);
    Waiter<String, String> big = state.enqueue("big", 2, "big");
    state.enqueue("small", 1, "small");
    assertThat(state.cancel(big)).isTrue();
    List<String> granted = new ArrayList<>();
    state.grantWaiting((w, token) -> granted.add(w.attachment()));
    assertThat(granted).containsExactly("small");
    assertThat(state.cancel(big)).as("cancelling twice").isFalse();
  }

  @Test
  void deathReturnsPermitsAndDropsWaits() {
    SemaphoreState<String, String> state = new SemaphoreState<>(2, true);
    state.grantNow("dies", 2);
    state.enqueue("dies", 1, "its own later wait");
    state.enqueue("next", 2, "next");
    List<String> dropped = new ArrayList<>();
    assertThat(state.ownerDied("dies", w -> dropped.add(w.attachment()))).isEqualTo(2);
    assertThat(dropped).containsExactly("its own later wait");
    List<String> granted = new ArrayList<>();
    state.grantWaiting((w, token) -> granted.add(w.attachment()));
    assertThat(granted).containsExactly("next");
    assertThat(state.knows("dies")).isFalse();
  }

  @Test
  void boundedRefusesOverReleaseUnboundedCreatesPermits() {
    SemaphoreState<String, String> bounded = new SemaphoreState<>(2, true);
    bounded.grantNow("a", 1);
    assertThat(bounded.refuseRelease("a", 2)).contains("holds 1");
    assertThat(bounded.refuseRelease("b", 1)).contains("holds 0");
    assertThat(bounded.refuseAcquire(0)).contains("positive");
    assertThat(bounded.refuseAcquire(3)).contains("only 2");

    SemaphoreState<String, String> unbounded = new SemaphoreState<>(2, false);
    unbounded.grantNow("a", 1);
    unbounded.release("a", 3);
    assertThat(unbounded.total()).isEqualTo(4);
    assertThat(unbounded.available()).isEqualTo(4);
  }

  @Test
  void tombstonesAreCompactedSoTheDequeStaysWithinTwiceTheLiveWaiters() {
    WaitQueue<Integer, String> queue = new WaitQueue<>();
    List<Waiter<Integer, String>> waiters = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      waiters.add(queue.add(queue.ownerOrNew(i % 7), 1, false, "w"));
    }
    for (int i = 0; i < 10_000; i += 2) {
      queue.cancel(waiters.get(i));
    }
    for (int i = 1; i < 9_000; i += 2) {
      queue.cancel(waiters.get(i));
    }
    assertThat(queue.size()).isEqualTo(500);
    assertThat(queue.slots()).isLessThanOrEqualTo(2 * 500 + 64 + 1);
    assertThat(queue.head().id()).isEqualTo(9_001);
    List<Long> droppedIds = new ArrayList<>();
    queue.cancelAllOf(9_001 % 7, w -> droppedIds.add(w.id()));
    assertThat(droppedIds).isNotEmpty().allMatch(id -> id % 7 == 9_001 % 7 && id >= 9_001);
    assertThat(queue.hasWaits(9_001 % 7)).isFalse();
  }
}
