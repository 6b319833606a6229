package dev.actorkit.demos.scenarios;

import akka.actor.typed.ActorRef;
import dev.actorkit.core.ActorKit;
import dev.actorkit.demos.Scenario;
import dev.actorkit.demos.ScenarioContext;
import dev.actorkit.demos.ScenarioOption;
import dev.actorkit.demos.ScenarioResult;
import dev.actorkit.demos.Story;
import dev.actorkit.patterns.account.Account;
import dev.actorkit.patterns.account.AccountClient;
import dev.actorkit.patterns.account.Bank;
import dev.actorkit.patterns.account.BankClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Random concurrent transfers between account actors through a bank that holds no lock on two
 * accounts at once: withdraw, then deposit, refund if the deposit is refused, every step
 * idempotent. The total before and after is counted, not assumed.
 */
public final class BankScenario implements Scenario {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @Override
  public String name() {
    return "bank";
  }

  @Override
  public String title() {
    return "Random concurrent transfers between Account actors; money is neither created nor lost";
  }

  @Override
  public List<ScenarioOption> options() {
    return List.of(
        ScenarioOption.integer("accounts", 5, "how many accounts, each opened with 100"),
        ScenarioOption.integer("transfers", 200, "how many random transfers, all sent at once"),
        ScenarioOption.integer("seed", 42, "seed of the random transfers"));
  }

  @Override
  public ScenarioResult run(ScenarioContext context) {
    Story story = context.story();
    ActorKit kit = context.kit();
    int count = context.intOption("accounts");
    int transfers = context.intOption("transfers");
    if (count < 2 || transfers < 0) {
      throw new IllegalArgumentException("--accounts must be at least 2 and --transfers not negative");
    }
    Random random = new Random(context.intOption("seed"));

    story.section("With threads, the classic answer");
    story.note("A transfer locks both accounts, always in the same order (say, by account number), so two");
    story.note("opposite transfers cannot deadlock. Every caller must know and keep that order.");

    story.section("With Account actors and a Bank");
    story.note("Each account is an actor; the bank never holds two accounts at once. A transfer is:");
    story.note("withdraw from the source; if that is refused, nothing moved. Then deposit into the destination;");
    story.note("if that is refused, deposit the amount back into the source. Each step carries a request id");
    story.note("derived from the transfer id, so a step that is retried is applied once.");
    List<AccountClient> accounts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      accounts.add(AccountClient.create(kit, "account-" + (i + 1), Account.Settings.opening(100)));
    }
    BankClient bank = BankClient.create(kit, "bank", Bank.Settings.defaults());
    long before = total(accounts);
    story.say("%d accounts, total %d. Sending %d random transfers at once...", count, before, transfers);

    List<CompletableFuture<Bank.Reply>> replies = new ArrayList<>();
    List<String> descriptions = new ArrayList<>();
    for (int i = 0; i < transfers; i++) {
      int from = random.nextInt(count);
      int to = (from + 1 + random.nextInt(count - 1)) % count;
      long amount = 1 + random.nextInt(50);
      ActorRef<Account.Command> source = accounts.get(from).ref();
      ActorRef<Account.Command> destination = accounts.get(to).ref();
      descriptions.add(String.format("%d from account-%d to account-%d", amount, from + 1, to + 1));
      replies.add(bank.transferAsync("transfer-" + (i + 1), source, destination, amount, WAIT).toCompletableFuture());
    }
    int ok = 0;
    int refused = 0;
    int inDoubt = 0;
    for (int i = 0; i < replies.size(); i++) {
      Bank.Reply reply = replies.get(i).orTimeout(60, TimeUnit.SECONDS).join();
      if (reply instanceof Bank.Transferred) {
        ok++;
      } else if (reply instanceof Bank.Rejected rejected) {
        refused++;
        if (refused <= 3) {
          story.say("transfer-%d (%s) refused: %s", i + 1, descriptions.get(i), rejected.reason());
        }
      } else {
        inDoubt++;
      }
      if (i < 3 && reply instanceof Bank.Transferred) {
        story.say("transfer-%d (%s) done", i + 1, descriptions.get(i));
      }
    }
    long after = total(accounts);
    Bank.InFlight inFlight = bank.inFlight(WAIT);
    story.say("%d transferred, %d refused, %d in doubt; in flight now: %d", ok, refused, inDoubt, inFlight.amount());
    story.say("total before %d, total after %d: %s", before, after, before == after ? "no money created or lost" : "MONEY WAS CREATED OR LOST");
    for (AccountClient account : accounts) {
      story.note("%s: %d", account.ref().path().name(), account.balance(WAIT));
    }
    return ScenarioResult.of(before == after && inDoubt == 0 && inFlight.amount() == 0 && ok + refused == transfers)
        .with("total_before", before)
        .with("total_after", after)
        .with("transfers_ok", ok)
        .with("transfers_refused", refused);
  }

  private static long total(List<AccountClient> accounts) {
    return accounts.stream().mapToLong(account -> account.balance(WAIT)).sum();
  }
}
