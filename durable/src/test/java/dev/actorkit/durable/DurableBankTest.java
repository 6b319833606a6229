package dev.actorkit.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.actorkit.cluster.ClusterNode;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.patterns.account.AccountClient;
import dev.actorkit.patterns.account.Bank;
import dev.actorkit.patterns.account.BankClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A durable bank between durable accounts, and what it remembers across a cluster restart. */
class DurableBankTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Bank.Settings STEPS = new Bank.Settings(Duration.ofSeconds(5), 3);

  @TempDir Path store;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void movesMoneyBetweenDurableAccountsAndRefusesWhatItCannotMove() {
    try (ActorKit kit = ClusterNode.startFirst(DurableStores.node(store))) {
      DurableKit durable = DurableKit.start(kit);
      String bankName = DurableStores.fresh("bank");
      BankClient bank = durable.bank(bankName, STEPS);
      AccountClient alice =
          durable.account(DurableStores.fresh("alice"), DurableAccount.Settings.opening(100));
      AccountClient bob =
          durable.account(DurableStores.fresh("bob"), DurableAccount.Settings.opening(0));

      assertThat(bank.transfer("t1", alice.ref(), bob.ref(), 30, WAIT))
          .isEqualTo(new Bank.Transferred("t1", 30));
      assertThat(bank.transfer("t1", alice.ref(), bob.ref(), 30, WAIT))
          .as("the same id again: the first outcome, not a second transfer")
          .isEqualTo(new Bank.Transferred("t1", 30));
      assertThat(alice.balance(WAIT)).isEqualTo(70);
      assertThat(bob.balance(WAIT)).isEqualTo(30);

      assertThatThrownBy(() -> bank.transfer("t2", bob.ref(), alice.ref(), 31, WAIT))
          .as("more than the source has")
          .isInstanceOf(RejectedException.class)
          .hasMessageContaining("the source refused");
      assertThatThrownBy(() -> bank.transfer("t3", alice.ref(), alice.ref(), 1, WAIT))
          .isInstanceOf(RejectedException.class)
          .hasMessageContaining("the same account");
      AccountClient inMemory =
          AccountClient.create(
              kit, "in-memory", dev.actorkit.patterns.account.Account.Settings.opening(5));
      assertThatThrownBy(() -> bank.transfer("t4", inMemory.ref(), alice.ref(), 1, WAIT))
          .as("an account that is not durable cannot be named in the journal")
          .isInstanceOf(RejectedException.class)
          .hasMessageContaining("durable accounts");
      assertThat(bank.inFlight()).isEqualTo(new Bank.InFlight(0, 0));
      assertThat(alice.balance(WAIT) + bob.balance(WAIT)).isEqualTo(100);

      assertThatThrownBy(() -> durable.bank(bankName, new Bank.Settings(Duration.ofSeconds(1), 3)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("open with");
    }
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void theOutcomesOfFinishedTransfersSurviveARestartOfTheWholeCluster() {
    String bankName = DurableStores.fresh("bank");
    String from = DurableStores.fresh("from");
    String to = DurableStores.fresh("to");
    try (ActorKit first = ClusterNode.startFirst(DurableStores.node(store))) {
      DurableKit durable = DurableKit.start(first);
      BankClient bank = durable.bank(bankName, STEPS);
      AccountClient source = durable.account(from, DurableAccount.Settings.opening(50));
      AccountClient destination = durable.account(to, DurableAccount.Settings.opening(0));
      assertThat(bank.transfer("rent", source.ref(), destination.ref(), 20, WAIT).amount())
          .isEqualTo(20);
    }
    try (ActorKit second = ClusterNode.startFirst(DurableStores.node(store))) {
      DurableKit durable = DurableKit.start(second);
      BankClient bank = durable.bank(bankName, STEPS);
      AccountClient source = durable.account(from, DurableAccount.Settings.opening(50));
      AccountClient destination = durable.account(to, DurableAccount.Settings.opening(0));
      assertThat(bank.transfer("rent", source.ref(), destination.ref(), 20, WAIT))
          .as("repeated after the restart: answered from the journal, not moved again")
          .isEqualTo(new Bank.Transferred("rent", 20));
      assertThat(source.balance(WAIT)).isEqualTo(30);
      assertThat(destination.balance(WAIT)).isEqualTo(20);
      assertThat(bank.transfer("food", source.ref(), destination.ref(), 5, WAIT).amount())
          .isEqualTo(5);
      assertThat(source.balance(WAIT) + destination.balance(WAIT)).isEqualTo(50);
    }
  }
}
