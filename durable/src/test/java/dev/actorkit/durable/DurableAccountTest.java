package dev.actorkit.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import dev.actorkit.cluster.ClusterNode;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.patterns.account.Account;
import dev.actorkit.patterns.account.AccountClient;
import dev.actorkit.patterns.mutex.MutexClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A durable account, and its fence by a durable mutex, across restarts of the whole cluster. */
class DurableAccountTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path store;

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void theBalanceAndTheAnswersToRequestIdsSurviveARestart() throws Exception {
    String name = DurableStores.fresh("savings");
    DurableAccount.Settings settings = DurableAccount.Settings.opening(100);
    try (ActorKit first = ClusterNode.startFirst(DurableStores.node(store))) {
      DurableKit durable = DurableKit.start(first);
      AccountClient savings = durable.account(name, settings);
      assertThat(savings.withdraw("rent", 60, WAIT)).isEqualTo(40);
      assertThat(savings.withdraw("rent", 60, WAIT)).as("a repeat").isEqualTo(40);
      assertThatThrownBy(() -> savings.withdraw("too-much", 50, WAIT))
          .isInstanceOf(RejectedException.class);
      assertThatThrownBy(() -> durable.account(name, DurableAccount.Settings.opening(5)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("open with");
    }
    try (ActorKit second = ClusterNode.startFirst(DurableStores.node(store))) {
      AccountClient savings = DurableKit.start(second).account(name, settings);
      assertThat(savings.balance(WAIT)).isEqualTo(40);
      assertThat(savings.withdraw("rent", 60, WAIT))
          .as("the same request id after the restart: the first answer, not a second withdrawal")
          .isEqualTo(40);
      assertThat(savings.deposit("pay", 25, WAIT)).isEqualTo(65);
    }
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void anAccountFencedByADurableMutexRefusesAnOldTokenAndTakesTheNextAfterARestart()
      throws Exception {
    String till = DurableStores.fresh("till");
    String name = DurableStores.fresh("cash");
    DurableAccount.Settings settings = DurableAccount.Settings.opening(100).fencedBy(till);
    MutexClient.Lock old;
    try (ActorKit first = ClusterNode.startFirst(DurableStores.node(store))) {
      DurableKit durable = DurableKit.start(first);
      AccountClient cash = durable.account(name, settings);
      assertThatThrownBy(() -> cash.withdraw("no-token", 1, WAIT))
          .isInstanceOf(RejectedException.class)
          .hasMessageContaining("fencing token");
      MutexClient mutex = durable.mutex(till);
      old = mutex.acquire(WAIT);
      assertThat(cash.withdraw(old, AccountClient.newRequestId(), 10, WAIT)).isEqualTo(90);
      old.close();
      try (MutexClient.Lock next = mutex.acquire(WAIT)) {
        assertThatThrownBy(() -> cash.withdraw(old, AccountClient.newRequestId(), 10, WAIT))
            .as("the old holder, after the next grant")
            .isInstanceOf(RejectedException.class)
            .hasMessageContaining("stale");
        assertThat(cash.withdraw(next, AccountClient.newRequestId(), 10, WAIT)).isEqualTo(80);
      }
    }
    try (ActorKit second = ClusterNode.startFirst(DurableStores.node(store))) {
      DurableKit durable = DurableKit.start(second);
      AccountClient cash = durable.account(name, settings);
      try (MutexClient.Lock afterRestart = durable.mutex(till).acquire(WAIT)) {
        assertThat(afterRestart.token()).isGreaterThan(old.token() + 1);
        assertThat(cash.withdraw(afterRestart, AccountClient.newRequestId(), 30, WAIT))
            .as("tokens never repeat, so the new holder is not refused")
            .isEqualTo(50);
      }
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void anOpeningTheStoreRefusesLeavesTheAccountUnopened() throws Exception {
    if (DurableStores.onPostgres()) {
      return; // the store is made to refuse writes here by an H2 trigger
    }
    try (ActorKit kit = ClusterNode.startFirst(DurableStores.node(store))) {
      DurableKit durable = DurableKit.start(kit);
      String name = DurableStores.fresh("refused");
      // Start the entity first (sharding remembers it in the same journal the trigger refuses).
      TestProbe<Account.Reply> probe = TestProbe.create(kit.system());
      ClusterSharding.get(kit.system())
          .entityRefFor(DurableKit.ACCOUNTS, name)
          .tell(new Account.GetStatus(probe.ref()));
      assertThat(probe.expectMessageClass(Account.Rejected.class, WAIT).reason())
          .contains("has not been opened");
      DurableStores.refusingInserts(
          store,
          "event_journal",
          () ->
              assertThatThrownBy(() -> durable.account(name, DurableAccount.Settings.opening(100)))
                  .isInstanceOf(IllegalStateException.class)
                  .hasMessageContaining("did not take the change"));
      // Restarted from the journal, which has no opening: other settings open it now.
      DurableStores.awaitTrue(
          "the account opened as asked after the refusal",
          () -> {
            try {
              return durable.account(name, DurableAccount.Settings.opening(7)).balance(WAIT) == 7;
            } catch (RuntimeException stillRestarting) {
              return false;
            }
          });
    }
  }
}
