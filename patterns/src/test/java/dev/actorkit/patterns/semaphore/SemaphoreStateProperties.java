package dev.actorkit.patterns.semaphore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.actorkit.patterns.semaphore.WaitQueue.Waiter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link SemaphoreState} driven by random acquire / release / timeout / death sequences beside a
 * plain counting model (lists and a map, no cleverness): after every step both agree on free
 * permits, holders and the queue, permits are neither lost nor created, occupancy never exceeds the
 * total, grants follow arrival order, and no permit idles while the head's request fits.
 */
class SemaphoreStateProperties {

  /** One step: kind 0 acquire, 1 release, 2 a waiter's deadline passes, 3 an owner dies. */
  record Op(int kind, int owner, int permits, int pick) {
    @Override
    public String toString() {
      return switchName() + "(owner " + owner + ", " + permits + ", pick " + pick + ")";
    }

    private String switchName() {
      return new String[] {"acquire", "release", "timeout", "death"}[kind];
    }
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Op> op =
        Combinators.combine(
                Arbitraries.integers().between(0, 9),
                Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(-1, 6),
                Arbitraries.integers().between(0, 20))
            .as(
                (kind, owner, permits, pick) ->
                    new Op(kind < 5 ? 0 : kind < 8 ? 1 : kind < 9 ? 2 : 3, owner, permits, pick));
    return op.list().ofMaxSize(80);
  }

  @Property(tries = 400)
  void boundedSemaphoreMatchesTheCountingModel(
      @ForAll("ops") List<Op> ops, @ForAll("totals") int total) {
    run(ops, total, true);
  }

  @Property(tries = 200)
  void unboundedSemaphoreMatchesTheCountingModel(
      @ForAll("ops") List<Op> ops, @ForAll("totals") int total) {
    run(ops, total, false);
  }

  @Provide
  Arbitrary<Integer> totals() {
    return Arbitraries.integers().between(1, 5);
  }

  private static void run(List<Op> ops, int total, boolean bounded) {
    SemaphoreState<Integer, String> state = new SemaphoreState<>(total, bounded);
    Model model = new Model(total, bounded);
    List<Waiter<Integer, String>> handles = new ArrayList<>();
    List<Long> grantOrder = new ArrayList<>();
    GrantTokens tokens = new GrantTokens();
    for (Op op : ops) {
      switch (op.kind()) {
        case 0 -> {
          String refusal = state.refuseAcquire(op.permits());
          boolean modelRefuses = model.refuseAcquire(op.permits());
          assertThat(refusal != null).as("refusal of %s", op).isEqualTo(modelRefuses);
          if (refusal == null) {
            if (state.canGrantNow(op.permits())) {
              tokens.expectNext(state.grantNow(op.owner(), op.permits()));
              assertThat(model.acquire(op.owner(), op.permits(), -1)).isTrue();
            } else {
              Waiter<Integer, String> waiter = state.enqueue(op.owner(), op.permits(), "w");
              handles.add(waiter);
              assertThat(model.acquire(op.owner(), op.permits(), waiter.id()))
                  .as("model grants %s at once", op)
                  .isFalse();
            }
          }
        }
        case 1 -> {
          String refusal = state.refuseRelease(op.owner(), op.permits());
          assertThat(refusal != null)
              .as("refusal of %s", op)
              .isEqualTo(model.refuseRelease(op.owner(), op.permits()));
          if (refusal == null) {
            state.release(op.owner(), op.permits());
            model.release(op.owner(), op.permits());
            state.grantWaiting(
                (w, token) -> {
                  tokens.expectNext(token);
                  grantOrder.add(w.id());
                });
          }
        }
        case 2 -> {
          if (!handles.isEmpty()) {
            Waiter<Integer, String> waiter = handles.get(op.pick() % handles.size());
            boolean wasWaiting = state.cancel(waiter);
            assertThat(wasWaiting).isEqualTo(model.cancel(waiter.id()));
            state.grantWaiting(
                (w, token) -> {
                  tokens.expectNext(token);
                  grantOrder.add(w.id());
                });
          }
        }
        default -> {
          List<Long> dropped = new ArrayList<>();
          int freed = state.ownerDied(op.owner(), w -> dropped.add(w.id()));
          assertThat(freed).isEqualTo(model.held.getOrDefault(op.owner(), 0));
          model.die(op.owner());
          state.grantWaiting(
              (w, token) -> {
                tokens.expectNext(token);
                grantOrder.add(w.id());
              });
        }
      }
      assertThat(grantOrder)
          .as("grants from the queue after %s", op)
          .isEqualTo(model.grantedFromQueue);
      check(state, model);
    }
  }

  private static void check(SemaphoreState<Integer, String> state, Model model) {
    assertThat(state.total()).isEqualTo(model.total);
    assertThat(state.available()).isEqualTo(model.available());
    assertThat(state.holders()).isEqualTo(model.held);
    List<long[]> queue = new ArrayList<>();
    for (Waiter<Integer, String> waiter : state.waiters()) {
      queue.add(new long[] {waiter.id(), waiter.owner(), waiter.amount()});
    }
    assertThat(queue)
        .usingElementComparator((a, b) -> Arrays.equals(a, b) ? 0 : 1)
        .isEqualTo(model.queue);
    // Occupancy never exceeds the permits; none lost or created.
    int held = state.holders().values().stream().mapToInt(Integer::intValue).sum();
    assertThat(held + state.available()).isEqualTo(state.total());
    assertThat(state.available()).isBetween(0, state.total());
    // Strict FIFO, no idle permits: if anyone waits, the head's request does not fit.
    if (!state.waiters().isEmpty()) {
      assertThat(state.waiters().get(0).amount()).isGreaterThan(state.available());
    }
    // Arrival order is kept in the queue.
    for (int i = 1; i < queue.size(); i++) {
      assertThat(queue.get(i)[0]).isGreaterThan(queue.get(i - 1)[0]);
    }
  }

  /** The reference: a counter, a map and a list, scanned naively. */
  static final class Model {
    final boolean bounded;
    int total;
    final Map<Integer, Integer> held = new LinkedHashMap<>();
    final List<long[]> queue = new ArrayList<>();
    final List<Long> grantedFromQueue = new ArrayList<>();

    Model(int total, boolean bounded) {
      this.total = total;
      this.bounded = bounded;
    }

    int available() {
      return total - held.values().stream().mapToInt(Integer::intValue).sum();
    }

    boolean refuseAcquire(int n) {
      return n <= 0 || n > total;
    }

    boolean refuseRelease(int owner, int n) {
      return n <= 0 || (bounded && n > held.getOrDefault(owner, 0));
    }

    /** True if granted at once. */
    boolean acquire(int owner, int n, long id) {
      if (queue.isEmpty() && available() >= n) {
        held.merge(owner, n, Integer::sum);
        return true;
      }
      queue.add(new long[] {id, owner, n});
      return false;
    }

    void release(int owner, int n) {
      int has = held.getOrDefault(owner, 0);
      int back = Math.min(has, n);
      put(owner, has - back);
      total += n - back;
      serve();
    }

    boolean cancel(long id) {
      boolean removed = queue.removeIf(w -> w[0] == id);
      serve();
      return removed;
    }

    void die(int owner) {
      queue.removeIf(w -> w[1] == owner);
      held.remove(owner);
      serve();
    }

    private void put(int owner, int count) {
      if (count == 0) {
        held.remove(owner);
      } else {
        held.put(owner, count);
      }
    }

    private void serve() {
      while (!queue.isEmpty() && queue.get(0)[2] <= available()) {
        long[] head = queue.remove(0);
        held.merge((int) head[1], (int) head[2], Integer::sum);
        grantedFromQueue.add(head[0]);
      }
    }
  }
}
