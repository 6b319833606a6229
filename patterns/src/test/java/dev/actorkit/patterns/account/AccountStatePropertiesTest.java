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

/**
 * {@link AccountState} against a reference model: a long and a map of answers. Request ids are
 * drawn from a small set so repeats are common; amounts include zero, negatives and values near
 * {@code Long.MAX_VALUE}; tokens include stale ones.
 */
class AccountStatePropertiesTest {

  record Op(int kind, int id, long amount, long token) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Long> amounts =
        Arbitraries.oneOf(
            Arbitraries.longs().between(-5, 200),
            Arbitraries.longs().between(Long.MAX_VALUE - 300, Long.MAX_VALUE));
    Arbitrary<Op> op =
        Combinators.combine(
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 30),
                amounts,
                Arbitraries.longs().between(0, 6))
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
