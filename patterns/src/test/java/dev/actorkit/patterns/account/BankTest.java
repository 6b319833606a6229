package dev.actorkit.patterns.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.BehaviorInterceptor;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.TypedActorContext;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.core.errors.InDoubtException;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.testing.KitTestKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Transfers between account actors: the sum of all balances is the invariant. */
class BankTest {

  @RegisterExtension static final KitTestKit testKit = KitTestKit.create().withSpeed(10);

  private static final Duration WAIT = Duration.ofSeconds(100); // story time: 10 s real

  private BankClient bank(String name) {
    ActorRef<Bank.Command> ref =
        testKit.spawn(Bank.create(new Bank.Settings(Duration.ofSeconds(1), 20)), name);
    return BankClient.of(ref, testKit.system());
  }

  private List<AccountClient> accounts(int count, long opening, boolean flaky) {
    List<AccountClient> accounts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Behavior<Account.Command> account = Account.create(Account.Settings.opening(opening));
      if (flaky) {
        AtomicInteger seen = new AtomicInteger();
        account =
            Behaviors.supervise(Behaviors.intercept(() -> new Flaky(seen), account))
                .onFailure(SupervisorStrategy.restart().withLoggingEnabled(false));
      }
      accounts.add(AccountClient.of(testKit.spawn(account), testKit.system()));
    }
    return accounts;
  }

  private static long total(List<AccountClient> accounts) {
    return accounts.stream().mapToLong(account -> account.balance(WAIT)).sum();
  }

  /** Runs {@code count} random transfers at once; answers [transferred, refused, in doubt]. */
  private static int[] randomTransfers(
      BankClient bank, List<AccountClient> accounts, int count, long seed) {
    Random random = new Random(seed);
    List<CompletableFuture<Bank.Transferred>> replies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int from = random.nextInt(accounts.size());
      int to = (from + 1 + random.nextInt(accounts.size() - 1)) % accounts.size();
      long amount = 1 + random.nextInt(150);
      replies.add(
          bank.transferAsync(
                  "t-" + seed + "-" + i,
                  accounts.get(from).ref(),
                  accounts.get(to).ref(),
                  amount,
                  WAIT)
              .toCompletableFuture());
    }
    int[] outcomes = new int[3];
    for (CompletableFuture<Bank.Transferred> reply : replies) {
      Throwable failure =
          reply
              .handle(
                  (done, error) ->
                      error instanceof CompletionException wrapped ? wrapped.getCause() : error)
              .join();
      outcomes[failure == null ? 0 : failure instanceof RejectedException ? 1 : 2]++;
    }
    return outcomes;
  }

  @Test
  void concurrentRandomTransfersNeitherCreateNorLoseMoney() {
    List<AccountClient> accounts = accounts(5, 100, false);
    BankClient bank = bank("bank-plain");
    int[] outcomes = randomTransfers(bank, accounts, 300, 1);
    assertThat(outcomes[0]).isPositive();
    assertThat(outcomes[1]).isPositive();
    assertThat(outcomes[2]).isZero();
    assertThat(total(accounts)).isEqualTo(500);
    assertThat(bank.status()).isEqualTo(new Bank.InFlight(0, 0));
  }

  @Test
  void accountsThatFailAndRestartKeepTheirMoneyAndRetriedStepsApplyOnce() {
    List<AccountClient> accounts = accounts(4, 100, true);
    BankClient bank = bank("bank-flaky");
    int[] outcomes = randomTransfers(bank, accounts, 200, 2);
    assertThat(outcomes[2]).isZero();
    assertThat(outcomes[0] + outcomes[1]).isEqualTo(200);
    assertThat(total(accounts)).isEqualTo(400);
    assertThat(bank.status().amount()).isZero();
  }

  @Test
  void aDestinationThatRefusesGetsNothingAndTheSourceIsRefunded() {
    AccountClient source = accounts(1, 100, false).get(0);
    AccountClient full = accounts(1, Long.MAX_VALUE - 10, false).get(0);
    BankClient bank = bank("bank-refund");
    assertThatThrownBy(() -> bank.transfer(source.ref(), full.ref(), 50))
        .isInstanceOf(RejectedException.class)
        .satisfies(
            e ->
                assertThat(((RejectedException) e).reason())
                    .contains("overflow")
                    .contains("went back"));
    assertThat(source.balance(WAIT)).isEqualTo(100);
    assertThat(full.balance(WAIT)).isEqualTo(Long.MAX_VALUE - 10);
  }

  @Test
  void badTransfersAreRejectedAndMoveNothing() {
    List<AccountClient> accounts = accounts(2, 100, false);
    BankClient bank = bank("bank-bad");
    ActorRef<Account.Command> a = accounts.get(0).ref();
    ActorRef<Account.Command> b = accounts.get(1).ref();
    assertThatThrownBy(() -> bank.transfer(a, a, 10)).isInstanceOf(RejectedException.class);
    assertThatThrownBy(() -> bank.transfer(a, b, 0)).isInstanceOf(RejectedException.class);
    assertThatThrownBy(() -> bank.transfer(a, b, 101)).isInstanceOf(RejectedException.class);
    assertThat(bank.transferAsync(" ", a, b, 10, WAIT).toCompletableFuture())
        .failsWithin(WAIT)
        .withThrowableThat()
        .withCauseInstanceOf(RejectedException.class);
    assertThat(accounts.get(0).balance(WAIT)).isEqualTo(100);
    assertThat(accounts.get(1).balance(WAIT)).isEqualTo(100);
  }

  @Test
  void aRepeatedTransferIdIsCarriedOutOnce() {
    List<AccountClient> accounts = accounts(2, 100, false);
    BankClient bank = bank("bank-idempotent");
    ActorRef<Account.Command> a = accounts.get(0).ref();
    ActorRef<Account.Command> b = accounts.get(1).ref();
    CompletableFuture<Bank.Transferred> first =
        bank.transferAsync("rent", a, b, 60, WAIT).toCompletableFuture();
    CompletableFuture<Bank.Transferred> again =
        bank.transferAsync("rent", a, b, 60, WAIT).toCompletableFuture();
    assertThat(first.join()).isEqualTo(new Bank.Transferred("rent", 60));
    assertThat(again.join()).isEqualTo(first.join());
    assertThat(bank.transferAsync("rent", a, b, 60, WAIT).toCompletableFuture().join())
        .isEqualTo(first.join());
    assertThat(accounts.get(0).balance(WAIT)).isEqualTo(40);
    assertThat(accounts.get(1).balance(WAIT)).isEqualTo(160);
  }

  @Test
  void aTransferResumedLateAppliesEachStepOnceHoweverManyRequestsCameBetween() {
    AtomicBoolean answersLost = new AtomicBoolean(true);
    // The source remembers only its last 3 request ids; its answers to the transfer's withdrawal
    // are lost until the test lets them through, so the bank reports the transfer in doubt.
    Behavior<Account.Command> losing =
        Behaviors.intercept(
            () -> new LosesAnswers("late/withdraw", answersLost),
            Account.create(Account.Settings.opening(100).rememberingLast(3)));
    AccountClient source = AccountClient.of(testKit.spawn(losing), testKit.system());
    AccountClient destination = accounts(1, 0, false).get(0);
    BankClient bank =
        BankClient.of(
            // 5 s steps (500 ms real): the resumed transfer's answers must beat them, on a busy
            // machine too; the lost answers make the first attempt's two tries take 1 s real
            testKit.spawn(Bank.create(new Bank.Settings(Duration.ofSeconds(5), 2)), "bank-late"),
            testKit.system());
    assertThat(bank.transferAsync("late", source.ref(), destination.ref(), 30, WAIT))
        .failsWithin(WAIT)
        .withThrowableThat()
        .withCauseInstanceOf(InDoubtException.class);
    assertThat(source.balance(WAIT)).as("the withdrawal was applied").isEqualTo(70);
    for (int i = 0; i < 10; i++) { // far more than the account's window of 3 ids
      source.deposit(AccountClient.newRequestId(), 1, WAIT);
    }
    answersLost.set(false);
    assertThat(bank.transferAsync("late", source.ref(), destination.ref(), 30, WAIT))
        .succeedsWithin(WAIT)
        .isEqualTo(new Bank.Transferred("late", 30));
    assertThat(source.balance(WAIT)).as("withdrawn once, not twice").isEqualTo(80);
    assertThat(destination.balance(WAIT)).isEqualTo(30);
    assertThat(bank.status()).isEqualTo(new Bank.InFlight(0, 0));
  }

  @Test
  void aRetryWithinTheOutcomeWindowGetsTheOutcomeAndOneLaterIsAnsweredByTheAccountsMemory() {
    List<AccountClient> accounts = accounts(2, 100, false);
    ActorRef<Account.Command> a = accounts.get(0).ref();
    ActorRef<Account.Command> b = accounts.get(1).ref();
    BankClient bank =
        BankClient.of(
            testKit.spawn(
                Bank.create(new Bank.Settings(Duration.ofSeconds(5), 5).rememberingLast(2)),
                "bank-window"),
            testKit.system());
    bank.transferAsync("first", a, b, 10, WAIT).toCompletableFuture().join();
    bank.transferAsync("second", a, b, 10, WAIT).toCompletableFuture().join();
    assertThat(bank.transferAsync("first", a, b, 10, WAIT))
        .as("a retry within the window")
        .succeedsWithin(WAIT)
        .isEqualTo(new Bank.Transferred("first", 10));
    assertThat(accounts.get(0).balance(WAIT)).isEqualTo(80);
    bank.transferAsync("third", a, b, 10, WAIT).toCompletableFuture().join();
    bank.transferAsync("fourth", a, b, 10, WAIT).toCompletableFuture().join();
    assertThat(bank.transferAsync("first", a, b, 10, WAIT))
        .as("two transfers later the bank has forgotten 'first'; its steps are sent again")
        .succeedsWithin(WAIT)
        .isEqualTo(new Bank.Transferred("first", 10));
    assertThat(accounts.get(0).balance(WAIT))
        .as("and the accounts, which still remember the steps' ids, answer them from memory")
        .isEqualTo(60);
    assertThatThrownBy(() -> new Bank.Settings(Duration.ofSeconds(1), 5).rememberingLast(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Lets the account apply every request, but while {@code lost} is set, drops its answers to
   * {@code requestId} (as a network that loses them would).
   */
  private static final class LosesAnswers
      extends BehaviorInterceptor<Account.Command, Account.Command> {
    private final String requestId;
    private final AtomicBoolean lost;

    LosesAnswers(String requestId, AtomicBoolean lost) {
      super(Account.Command.class);
      this.requestId = requestId;
      this.lost = lost;
    }

    @Override
    public Behavior<Account.Command> aroundReceive(
        TypedActorContext<Account.Command> context,
        Account.Command message,
        ReceiveTarget<Account.Command> target) {
      if (lost.get()
          && message instanceof Account.Withdraw withdraw
          && withdraw.requestId().equals(requestId)) {
        Account.Command unanswered =
            new Account.Withdraw(
                withdraw.requestId(),
                withdraw.amount(),
                withdraw.token(),
                context.asJava().getSystem().ignoreRef());
        return target.apply(context, unanswered);
      }
      return target.apply(context, message);
    }
  }

  /** Fails every 7th message before the account sees it, and every 5th after it was applied. */
  private static final class Flaky extends BehaviorInterceptor<Account.Command, Account.Command> {
    private final AtomicInteger seen;

    Flaky(AtomicInteger seen) {
      super(Account.Command.class);
      this.seen = seen;
    }

    @Override
    public Behavior<Account.Command> aroundReceive(
        TypedActorContext<Account.Command> context,
        Account.Command message,
        ReceiveTarget<Account.Command> target) {
      int n = seen.incrementAndGet();
      if (!(message instanceof Account.Balance) && n % 7 == 0) {
        throw new IllegalStateException("injected failure before " + message);
      }
      Behavior<Account.Command> next = target.apply(context, message);
      if (n % 5 == 0) {
        throw new IllegalStateException("injected failure after " + message);
      }
      return next;
    }
  }
}
