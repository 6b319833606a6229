package dev.actorkit.patterns.mutex;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link MutexState} against a plain reference model, over random sequences of acquires, releases
 * (good and bad), timeouts, owner deaths and lease expiries.
 */
class MutexStatePropertiesTest {

  /** One step: what, by which owner (0..3), and a free number (token offset or waiter pick). */
  record Op(int kind, int owner, int pick) {
    @Override
    public String toString() {
      return List.of("acquire", "try-now", "release", "release-stale", "timeout", "death", "lease")
              .get(kind)
          + "("
          + owner
          + ","
          + pick
          + ")";
    }
  }

  /** The obvious model: a holder, a depth, a FIFO list, a token counter. */
  static final class Model {
    final boolean reentrant;
    final int maxDepth;
    Integer holder;
    int depth;
    long token;
    long lastToken;
    final LinkedList<Integer> queue = new LinkedList<>();
    final List<Long> waitIds = new ArrayList<>();

    Model(boolean reentrant, int maxDepth) {
      this.reentrant = reentrant;
      this.maxDepth = reentrant ? maxDepth : 1;
    }

    void grantNext() {
      holder = null;
      depth = 0;
      if (!queue.isEmpty()) {
        holder = queue.removeFirst();
        waitIds.remove(0);
        depth = 1;
        token = ++lastToken;
      }
    }
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Op> op =
        Combinators.combine(
                Arbitraries.integers().between(0, 6),
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 5))
            .as(Op::new);
    return op.list().ofMaxSize(80);
  }

  @Property(tries = 300)
  void plainMutexMatchesTheModel(@ForAll("ops") List<Op> ops) {
    check(ops, false, 1);
  }

  @Property(tries = 300)
  void reentrantMutexMatchesTheModel(@ForAll("ops") List<Op> ops) {
    check(ops, true, 3);
  }

  private void check(List<Op> ops, boolean reentrant, int maxDepth) {
    MutexState<Integer, String> state = new MutexState<>(reentrant, maxDepth);
    Model model = new Model(reentrant, maxDepth);
    long waitId = 0;
    long highestGranted = 0;
    for (Op op : ops) {
      int owner = op.owner();
      List<MutexState.Grant<Integer, String>> grants = new ArrayList<>();
      switch (op.kind()) {
        case 0, 1 -> {
          boolean mayWait = op.kind() == 0;
          waitId++;
          MutexState.AcquireResult<Integer, String> result =
              state.acquire(owner, "r" + owner, waitId, waitId * 1_000_000_000L, mayWait);
          if (Integer.valueOf(owner).equals(model.holder)) {
            if (model.reentrant && model.depth < model.maxDepth) {
              model.depth++;
              assertThat(result.grant()).isNotNull();
              assertThat(result.grant().token()).isEqualTo(model.token);
            } else {
              assertThat(result.rejected()).isTrue();
            }
          } else if (model.queue.contains(owner)) {
            assertThat(result.rejected()).isTrue();
          } else if (model.holder == null) {
            model.holder = owner;
            model.depth = 1;
            model.token = ++model.lastToken;
            assertThat(result.grant()).isNotNull();
            grants.add(result.grant());
          } else if (mayWait) {
            model.queue.add(owner);
            model.waitIds.add(waitId);
            assertThat(result.queued()).isTrue();
          } else {
            assertThat(result.grant()).isNull();
            assertThat(result.queued()).isFalse();
            assertThat(result.rejected()).isFalse();
          }
        }
        case 2, 3 -> {
          long token = op.kind() == 2 ? model.token : model.token - 1 - op.pick();
          MutexState.ReleaseResult<Integer, String> result = state.release(owner, token, 0L);
          boolean ok = Integer.valueOf(owner).equals(model.holder) && token == model.token;
          assertThat(result.rejected()).isEqualTo(!ok);
          if (ok) {
            model.depth--;
            if (model.depth == 0) {
              model.grantNext();
              if (model.holder != null) {
                assertThat(result.next()).isNotNull();
                grants.add(result.next());
              }
            }
            assertThat(result.remainingDepth())
                .isEqualTo(model.depth == 0 || model.holder != owner ? 0 : model.depth);
          }
        }
        case 4 -> {
          if (!model.waitIds.isEmpty()) {
            int index = op.pick() % model.waitIds.size();
            long id = model.waitIds.remove(index);
            Integer gone = model.queue.remove(index);
            MutexState.Waiter<Integer, String> removed = state.removeWait(id);
            assertThat(removed).isNotNull();
            assertThat(removed.owner()).isEqualTo(gone);
          }
          assertThat(state.removeWait(-1)).isNull();
        }
        case 5 -> {
          int index = model.queue.indexOf(owner);
          if (index >= 0) {
            model.queue.remove(index);
            model.waitIds.remove(index);
          }
          boolean held = Integer.valueOf(owner).equals(model.holder);
          MutexState.DeathResult<Integer, String> result = state.ownerDied(owner, 0L);
          assertThat(result.droppedWaits()).hasSize(index >= 0 ? 1 : 0);
          assertThat(result.freedToken() != null).isEqualTo(held);
          if (held) {
            model.grantNext();
            if (model.holder != null) {
              grants.add(result.next());
            }
          }
        }
        default -> {
          long token = op.pick() % 2 == 0 ? model.token : model.token + 1;
          MutexState.Revocation<Integer, String> revocation = state.revoke(token, 0L);
          boolean current = model.holder != null && token == model.token;
          assertThat(revocation != null).isEqualTo(current);
          if (current) {
            model.grantNext();
            if (model.holder != null) {
              grants.add(revocation.next());
            }
          }
        }
      }
      for (MutexState.Grant<Integer, String> grant : grants) {
        assertThat(grant.token()).isGreaterThan(highestGranted);
        highestGranted = grant.token();
        assertThat(grant.owner()).isEqualTo(model.holder);
        assertThat(grant.replyTo()).isEqualTo("r" + model.holder);
      }
      assertThat(state.holder()).as("holder after %s", op).isEqualTo(model.holder);
      assertThat(state.depth()).isEqualTo(model.depth);
      assertThat(state.snapshot().waiters()).isEqualTo(model.queue);
      if (model.holder != null) {
        assertThat(state.token()).isEqualTo(model.token);
      }
      assertThat(state.lastToken()).isEqualTo(model.lastToken);
    }
  }
}
