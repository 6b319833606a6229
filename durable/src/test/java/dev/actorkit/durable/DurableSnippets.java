package dev.actorkit.durable;

import dev.actorkit.cluster.ClusterNode;
import dev.actorkit.core.ActorKit;
import dev.actorkit.patterns.account.AccountClient;
import dev.actorkit.patterns.account.Bank;
import dev.actorkit.patterns.account.BankClient;
import dev.actorkit.patterns.mutex.MutexClient;
import java.time.Duration;

/** The Java blocks of docs/durable.md, compiled (DocSnippetsTest checks that they are here). */
final class DurableSnippets {

  private DurableSnippets() {}

  static void durableMutex() {
    try (ActorKit kit = ClusterNode.startFirst(ClusterNode.port(0))) {
      DurableKit durable = DurableKit.start(kit); // on every node that hosts or uses one
      MutexClient till = durable.mutex("till"); // the same mutex from any node
      AccountClient cash = // opened once, fenced by the till's tokens
          durable.account("cash", DurableAccount.Settings.opening(100).fencedBy("till"));
      try (MutexClient.Lock lock = till.acquire(Duration.ofSeconds(5))) {
        cash.withdraw(lock, AccountClient.newRequestId(), 10, Duration.ofSeconds(5));
      }
    }
  }

  static void durableBank(DurableKit durable) {
    BankClient bank = durable.bank("bank", Bank.Settings.defaults());
    AccountClient alice = durable.account("alice", DurableAccount.Settings.opening(100));
    AccountClient bob = durable.account("bob", DurableAccount.Settings.opening(0));
    bank.transfer("rent-2026-11", alice.ref(), bob.ref(), 30, Duration.ofSeconds(5));
  }
}
