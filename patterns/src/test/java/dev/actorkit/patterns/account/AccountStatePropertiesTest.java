package dev.actorkit.patterns.account;

import static org.assertj.core.api.Assertions.assertThat;

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
}
