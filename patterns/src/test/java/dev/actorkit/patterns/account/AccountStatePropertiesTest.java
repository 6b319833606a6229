package dev.actorkit.patterns.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link AccountState} against a reference model: a long and a map of answers. Request ids, amounts
 * and tokens are drawn from small sets, so repeats are common, and so are repeats that differ from
 * the first use in one field (a withdrawal of the same amount under a deposit's id, the same
 * deposit under another token); amounts include zero, negatives and values near {@code
 * Long.MAX_VALUE}; tokens include stale ones.
 */
class AccountStatePropertiesTest {

  record Op(int kind, int id, long amount, long token) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    // few amounts and tokens, so an id is often reused for a request that differs in one field only
    Arbitrary<Long> amounts =
        Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.longs().between(-1, 4)),
            Tuple.of(3, Arbitraries.longs().between(5, 200)),
            Tuple.of(1, Arbitraries.longs().between(Long.MAX_VALUE - 3, Long.MAX_VALUE)));
    Arbitrary<Op> op =
        Combinators.combine(
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 12),
                amounts,
                Arbitraries.longs().between(0, 3))
            .as(Op::new);
    return op.list().ofMaxSize(100);
  }

  @Property(tries = 400)
  void matchesTheModelAndNeverGoesNegative(@ForAll("ops") List<Op> ops) {
    AccountState state = new AccountState(100, 1_000);
    long balance = 100;
    long highest = 0;
    Map<String, Account.Reply> answered = new HashMap<>();
    Map<String, Op> firstUse = new HashMap<>();
    for (Op op : ops) {
      String id = "r" + op.id();
      Account.Reply reply;
      if (answered.containsKey(id)) {
        reply = apply(state, op, id);
        if (sameRequest(firstUse.get(id), op)) {
          assertThat(reply).isEqualTo(answered.get(id));
        } else {
          assertThat(reply).isInstanceOf(Account.Rejected.class);
          assertThat(((Account.Rejected) reply).reason()).contains("was used for");
        }
      } else {
        firstUse.put(id, op);
        reply = apply(state, op, id);
        boolean ok;
        if (op.kind() == 2) {
          ok = true;
        } else if (op.amount() <= 0 || (op.token() > 0 && op.token() < highest)) {
          ok = false;
        } else if (op.kind() == 0) {
          ok = balance <= Long.MAX_VALUE - op.amount();
        } else {
          ok = op.amount() <= balance;
        }
        if (!ok) {
          assertThat(reply).isInstanceOf(Account.Rejected.class);
        } else if (op.kind() == 0) {
          balance += op.amount();
          highest = Math.max(highest, op.token());
          assertThat(reply).isEqualTo(new Account.Deposited(id, op.amount(), balance));
        } else if (op.kind() == 1) {
          balance -= op.amount();
          highest = Math.max(highest, op.token());
          assertThat(reply).isEqualTo(new Account.Withdrawn(id, op.amount(), balance));
        } else {
          assertThat(reply).isEqualTo(new Account.BalanceIs(id, balance));
        }
        answered.put(id, reply);
      }
      assertThat(state.balance()).isEqualTo(balance).isNotNegative();
      assertThat(state.highestToken()).isEqualTo(highest);
    }
  }

  /**
   * A request id may be repeated only for the same request: the same kind, amount and token (a
   * balance query has neither).
   */
  private static boolean sameRequest(Op first, Op again) {
    if (first.kind() != again.kind()) {
      return false;
    }
    return first.kind() == 2
        || (first.amount() == again.amount() && first.token() == again.token());
  }

  private static Account.Reply apply(AccountState state, Op op, String id) {
    if (op.kind() == 0) {
      return state.deposit(id, op.amount(), op.token());
    }
    if (op.kind() == 1) {
      return state.withdraw(id, op.amount(), op.token());
    }
    return state.balance(id);
  }

  /** {@code kind} 0–5: deposit {@code amount} under id {@code id}, 6–7: keep it, 8–9: forget it. */
  record WindowOp(int kind, int id, long amount) {}

  @Provide
  Arbitrary<List<WindowOp>> windowOps() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 9),
            Arbitraries.integers().between(0, 9),
            Arbitraries.longs().between(1, 2))
        .as(WindowOp::new)
        .list()
        .ofMaxSize(120);
  }

  /**
   * A small window that turns over, with ids kept and forgotten: a deposit is answered from memory
   * exactly when its id is among the last {@code remembered} ids that came (an id kept since leaves
   * its place empty) or is kept, and applied otherwise.
   */
  @Property(tries = 400)
  void aSmallWindowWithKeptIdsMatchesTheModel(
      @ForAll @IntRange(min = 1, max = 5) int remembered, @ForAll("windowOps") List<WindowOp> ops) {
    AccountState state = new AccountState(0, remembered);
    long balance = 0;
    List<String> places = new ArrayList<>(); // ids in the order they came; null where one was kept
    Map<String, Account.Deposited> recent = new HashMap<>();
    Map<String, Account.Deposited> kept = new HashMap<>(); // null: kept before it was answered
    for (WindowOp op : ops) {
      String id = "w" + op.id();
      if (op.kind() <= 5) {
        Account.Reply reply = state.deposit(id, op.amount(), 0);
        Account.Deposited known = kept.get(id) != null ? kept.get(id) : recent.get(id);
        if (known != null) {
          if (known.amount() == op.amount()) {
            assertThat(reply).isEqualTo(known);
          } else {
            assertThat(reply).isInstanceOf(Account.Rejected.class);
          }
          continue;
        }
        balance += op.amount();
        Account.Deposited applied = new Account.Deposited(id, op.amount(), balance);
        assertThat(reply).isEqualTo(applied);
        if (kept.containsKey(id)) {
          kept.put(id, applied);
        } else {
          remember(places, recent, remembered, id, applied);
        }
      } else if (op.kind() <= 7) {
        state.keep(id);
        if (!kept.containsKey(id)) {
          kept.put(id, recent.remove(id));
          int place = places.indexOf(id);
          if (place >= 0) {
            places.set(place, null);
          }
        }
      } else {
        state.forget(id);
        Account.Deposited answer = kept.remove(id);
        if (answer != null) {
          remember(places, recent, remembered, id, answer);
        }
      }
      assertThat(state.balance()).isEqualTo(balance);
      assertThat(state.keptCount()).isEqualTo(kept.size());
    }
  }

  /**
   * The model's window: a new place for {@code id}, the oldest place's id forgotten if it is full.
   */
  private static void remember(
      List<String> places,
      Map<String, Account.Deposited> recent,
      int remembered,
      String id,
      Account.Deposited answer) {
    places.add(id);
    recent.put(id, answer);
    if (places.size() > remembered) {
      String oldest = places.remove(0);
      if (oldest != null) {
        recent.remove(oldest);
      }
    }
  }
}
