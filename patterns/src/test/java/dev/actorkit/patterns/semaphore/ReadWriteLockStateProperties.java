package dev.actorkit.patterns.semaphore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.actorkit.patterns.semaphore.WaitQueue.Waiter;
import java.util.ArrayList;
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
 * {@link ReadWriteLockState} driven by random read/write acquires, releases, downgrades, timeouts
 * and deaths beside a naive model: both agree after every step; a writer is never inside with
 * anyone else; grants from the queue follow arrival order; no later reader gets in past a waiting
 * writer (only reentrant reads may); and nobody idles at the head while the lock could take them.
 */
class ReadWriteLockStateProperties {

  /** kind: 0 read, 1 write, 2 release read, 3 release write, 4 downgrade, 5 timeout, 6 death. */
  record Op(int kind, int owner, int pick) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Op> op =
        Combinators.combine(
                Arbitraries.integers().between(0, 6),
                Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 20))
            .as(Op::new);
    return op.list().ofMaxSize(80);
  }

  @Property(tries = 500)
  void readWriteLockMatchesTheModel(@ForAll("ops") List<Op> ops) {
    ReadWriteLockState<Integer, String> state = new ReadWriteLockState<>();
    Model model = new Model();
    List<Waiter<Integer, String>> handles = new ArrayList<>();
    List<Long> grantOrder = new ArrayList<>();
    GrantTokens tokens = new GrantTokens();
    for (Op op : ops) {
      int owner = op.owner();
      switch (op.kind()) {
        case 0, 1 -> {
          boolean write = op.kind() == 1;
          String refusal = state.refuseAcquire(owner, write);
          assertThat(refusal != null)
              .as("refusal of %s", op)
              .isEqualTo(model.refuseAcquire(owner, write));
          if (refusal == null) {
            if (state.canGrantNow(owner, write)) {
              if (!write && !model.queue.isEmpty()) {
                assertThat(model.readers)
                    .as("only a reentrant read passes waiters")
                    .containsKey(owner);
              }
              tokens.expectNext(state.grantNow(owner, write));
              assertThat(model.acquire(owner, write, -1)).isTrue();
            } else {
              Waiter<Integer, String> waiter = state.enqueue(owner, write, "w");
              handles.add(waiter);
              assertThat(model.acquire(owner, write, waiter.id())).isFalse();
            }
          }
        }
        case 2, 3 -> {
          boolean write = op.kind() == 3;
          String refusal = state.refuseRelease(owner, write);
          assertThat(refusal != null).isEqualTo(model.refuseRelease(owner, write));
          if (refusal == null) {
            state.release(owner, write);
            model.release(owner, write);
          }
        }
        case 4 -> {
          String refusal = state.refuseDowngrade(owner);
          assertThat(refusal != null).isEqualTo(!Integer.valueOf(owner).equals(model.writer));
          if (refusal == null) {
            state.downgrade(owner);
            model.downgrade(owner);
          }
        }
        case 5 -> {
          if (!handles.isEmpty()) {
            Waiter<Integer, String> waiter = handles.get(op.pick() % handles.size());
            assertThat(state.cancel(waiter)).isEqualTo(model.cancel(waiter.id()));
          }
        }
        default -> {
          state.ownerDied(owner, w -> {});
          model.die(owner);
        }
      }
      state.grantWaiting(
          (w, token) -> {
            tokens.expectNext(token);
            grantOrder.add(w.id());
          });
      assertThat(grantOrder)
          .as("grants from the queue after %s", op)
          .isEqualTo(model.grantedFromQueue);
      check(state, model);
    }
  }

  private static void check(ReadWriteLockState<Integer, String> state, Model model) {
    assertThat(state.writer()).isEqualTo(model.writer);
    assertThat(state.readers()).isEqualTo(model.readers);
    List<String> queue = new ArrayList<>();
    state.waiters().forEach(w -> queue.add(w.id() + ":" + w.owner() + ":" + w.exclusive()));
    List<String> expected = new ArrayList<>();
    model.queue.forEach(w -> expected.add(w.id + ":" + w.owner + ":" + w.write));
    assertThat(queue).isEqualTo(expected);
    if (state.writer() != null) {
      assertThat(state.readHolds()).as("a writer is alone").isZero();
    }
    if (!state.waiters().isEmpty()) {
      Waiter<Integer, String> head = state.waiters().get(0);
      boolean headCouldGo = state.writer() == null && (!head.exclusive() || state.readHolds() == 0);
      assertThat(headCouldGo).as("nobody idles at the head").isFalse();
    }
  }

  record W(long id, int owner, boolean write) {}

  /** The reference: plain fields and a list. */
  static final class Model {
    Integer writer;
    final Map<Integer, Integer> readers = new LinkedHashMap<>();
    final List<W> queue = new ArrayList<>();
    final List<Long> grantedFromQueue = new ArrayList<>();

    boolean refuseAcquire(int owner, boolean write) {
      return Integer.valueOf(owner).equals(writer)
          || (write && readers.containsKey(owner))
          || queue.stream()
              .anyMatch(waiting -> waiting.owner == owner); // one wait at a time per owner
    }

    boolean refuseRelease(int owner, boolean write) {
      return write ? !Integer.valueOf(owner).equals(writer) : !readers.containsKey(owner);
    }

    boolean acquire(int owner, boolean write, long id) {
      boolean now =
          write
              ? writer == null && readers.isEmpty() && queue.isEmpty()
              : writer == null && (queue.isEmpty() || readers.containsKey(owner));
      if (now) {
        take(owner, write);
        return true;
      }
      queue.add(new W(id, owner, write));
      return false;
    }

    void release(int owner, boolean write) {
      if (write) {
        writer = null;
      } else {
        readers.merge(owner, -1, Integer::sum);
        readers.remove(owner, 0);
      }
      serve();
    }

    void downgrade(int owner) {
      writer = null;
      take(owner, false);
      serve();
    }

    boolean cancel(long id) {
      boolean removed = queue.removeIf(w -> w.id == id);
      serve();
      return removed;
    }

    void die(int owner) {
      queue.removeIf(w -> w.owner == owner);
      if (Integer.valueOf(owner).equals(writer)) {
        writer = null;
      }
      readers.remove(owner);
      serve();
    }

    private void take(int owner, boolean write) {
      if (write) {
        writer = owner;
      } else {
        readers.merge(owner, 1, Integer::sum);
      }
    }

    private void serve() {
      while (!queue.isEmpty() && writer == null && (!queue.get(0).write || readers.isEmpty())) {
        W head = queue.remove(0);
        take(head.owner, head.write);
        grantedFromQueue.add(head.id);
      }
    }
  }
}
