package dev.actorkit.demos.scenarios;

import dev.actorkit.core.ActorKit;
import dev.actorkit.core.errors.InDoubtException;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.demos.Scenario;
import dev.actorkit.demos.ScenarioContext;
import dev.actorkit.demos.ScenarioOption;
import dev.actorkit.demos.ScenarioResult;
import dev.actorkit.demos.Story;
import dev.actorkit.demos.ThreadsTrace;
import dev.actorkit.patterns.account.Account;
import dev.actorkit.patterns.account.AccountClient;
import dev.actorkit.patterns.account.Bank;
import dev.actorkit.patterns.account.BankClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Random concurrent transfers between account actors through a bank that holds no lock on two
 * accounts at once: withdraw, then deposit, refund if the deposit is refused, every step
 * idempotent. The total before and after is counted, not assumed.
 */
public final class BankScenario implements Scenario {

  /**
   * How long a bank step waits for its account's answer before it asks again (story time). Nothing
   * is lost here, so no step should be retried: long enough that a busy machine at a test's {@code
   * --speed 100} (100 ms of real time) does not make one, not the bank's default 1 s (10 ms).
   */
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);

  private static final int ATTEMPTS = 5;

  /**
   * How long a teller waits for a transfer: longer than the bank's whole retry budget (up to three
   * steps, each {@link #ATTEMPTS} times {@link #STEP_TIMEOUT}), so a teller never gives up on a
   * transfer the bank is still working on.
   */
  private static final Duration WAIT = STEP_TIMEOUT.multipliedBy(3L * ATTEMPTS).plusSeconds(30);

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
        ScenarioOption.integer("accounts", 5, "how many accounts, each opened with 100").atLeast(2),
        ScenarioOption.integer("transfers", 200, "how many random transfers").atLeast(0),
        ScenarioOption.integer("tellers", 4, "how many tellers send transfers at the same time")
            .atLeast(1),
        ScenarioOption.integer("seed", 42, "seed of the random transfers"));
  }

  @Override
  public ScenarioResult run(ScenarioContext context) {
    Story story = context.story();
    ActorKit kit = context.kit();
    int count = context.intOption("accounts");
    int transfers = context.intOption("transfers");
    Random random = new Random(context.intOption("seed"));

    story.section("With threads, the classic answer");
    story.note(
        "A transfer locks both accounts, always in the same order (say, by account number), so two");
    story.note("opposite transfers cannot deadlock. Every caller must know and keep that order.");

    story.section("With Account actors and a Bank");
    story.note(
        "Each account is an actor; the bank never holds two accounts at once. A transfer is:");
    story.note(
        "withdraw from the source; if that is refused, nothing moved. Then deposit into the destination;");
    story.note(
        "if that is refused, deposit the amount back into the source. Each step carries a request id");
    story.note("derived from the transfer id, so a step that is retried is applied once.");
    List<AccountClient> accounts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      accounts.add(AccountClient.create(kit, "account-" + (i + 1), Account.Settings.opening(100)));
    }
    BankClient bank = BankClient.create(kit, "bank", new Bank.Settings(STEP_TIMEOUT, ATTEMPTS));
    long before = total(accounts);
    story.say(
        "%d accounts, total %d. %d tellers send %d random transfers, each teller one after another...",
        count, before, context.intOption("tellers"), transfers);

    int tellers = context.intOption("tellers");
    List<long[]> plan = new ArrayList<>();
    for (int i = 0; i < transfers; i++) {
      int from = random.nextInt(count);
      int to = (from + 1 + random.nextInt(count - 1)) % count;
      plan.add(new long[] {from, to, 1 + random.nextInt(50)});
    }
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger inDoubt = new AtomicInteger();
    // One thread per teller, named after it: the bank's trace names the calling thread.
    ExecutorService desksPool = Executors.newFixedThreadPool(tellers, ThreadsTrace.named("teller"));
    List<CompletableFuture<Void>> desks = new ArrayList<>();
    for (int t = 0; t < tellers; t++) {
      int teller = t;
      desks.add(
          CompletableFuture.runAsync(
              () -> {
                for (int i = teller; i < plan.size(); i += tellers) {
                  long[] step = plan.get(i);
                  String what =
                      String.format(
                          "%d from account-%d to account-%d", step[2], step[0] + 1, step[1] + 1);
                  try {
                    bank.transfer(
                        "transfer-" + (i + 1),
                        accounts.get((int) step[0]).ref(),
                        accounts.get((int) step[1]).ref(),
                        step[2],
                        WAIT);
                    if (ok.incrementAndGet() <= 3) {
                      story.say("teller %d: transfer-%d (%s) done", teller + 1, i + 1, what);
                    }
                  } catch (RejectedException rejected) {
                    if (refused.incrementAndGet() <= 3) {
                      story.say(
                          "teller %d: transfer-%d (%s) refused: %s",
                          teller + 1, i + 1, what, rejected.reason());
                    }
                  } catch (InDoubtException doubt) {
                    inDoubt.incrementAndGet();
                  }
                }
              },
              desksPool));
    }
    try {
      CompletableFuture.allOf(desks.toArray(CompletableFuture[]::new))
          .orTimeout(120, TimeUnit.SECONDS)
          .join();
    } finally {
      desksPool.shutdownNow();
    }
    long after = total(accounts);
    Bank.InFlight inFlight = bank.status();
    story.say(
        "%d transferred, %d refused, %d in doubt; in flight now: %d",
        ok.get(), refused.get(), inDoubt.get(), inFlight.amount());
    story.say(
        "total before %d, total after %d: %s",
        before, after, before == after ? "no money created or lost" : "MONEY WAS CREATED OR LOST");
    for (AccountClient account : accounts) {
      story.note("%s: %d", account.ref().path().name(), account.balance(WAIT));
    }
    return ScenarioResult.of(
            before == after
                && inDoubt.get() == 0
                && inFlight.amount() == 0
                && ok.get() + refused.get() == transfers)
        .with("total_before", before)
        .with("total_after", after)
        .with("transfers_ok", ok.get())
        .with("transfers_refused", refused.get());
  }

  private static long total(List<AccountClient> accounts) {
    return accounts.stream().mapToLong(account -> account.balance(WAIT)).sum();
  }
}
