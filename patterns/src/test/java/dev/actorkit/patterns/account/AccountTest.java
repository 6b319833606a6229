package dev.actorkit.patterns.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.testing.KitTestKit;
import dev.actorkit.core.trace.TraceEvent;
import dev.actorkit.core.trace.TraceKind;
import dev.actorkit.core.trace.Tracer;
import dev.actorkit.patterns.mutex.Mutex;
import dev.actorkit.patterns.mutex.MutexClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The account's protocol: every reply and every refusal. (An ActorTestKit rather than a
 * BehaviorTestKit: the account emits trace events through the Tracer extension, which the
 * BehaviorTestKit's stub system cannot register.)
 */
class AccountTest {

  @RegisterExtension static final KitTestKit testKit = KitTestKit.create();

  private final ActorRef<Account.Command> account =
      testKit.spawn(Account.create(Account.Settings.opening(100)));
  private final TestProbe<Account.Reply> inbox = testKit.createTestProbe(Account.Reply.class);

  private Account.Reply send(Account.Command command) {
    account.tell(command);
    return inbox.expectMessageClass(Account.Reply.class, Duration.ofSeconds(3));
  }

  private long balance() {
    return ((Account.BalanceIs)
            send(new Account.Balance(AccountClient.newRequestId(), inbox.ref())))
        .balance();
  }

  @Test
  void depositsAndWithdrawalsAnswerTheNewBalance() {
    assertThat(send(new Account.Deposit("d1", 50, inbox.ref())))
        .isEqualTo(new Account.Deposited("d1", 50, 150));
    assertThat(send(new Account.Withdraw("w1", 80, inbox.ref())))
        .isEqualTo(new Account.Withdrawn("w1", 80, 70));
    assertThat(send(new Account.Balance("b1", inbox.ref())))
        .isEqualTo(new Account.BalanceIs("b1", 70));
  }

  @Test
  void aRefusalIsTracedAsRefusedNotAsTheWithdrawalItRefused() {
    Tracer tracer = Tracer.get(testKit.system());
    tracer.clear();
    tracer.start();
    try {
      send(new Account.Withdraw("big", 500, inbox.ref()));
      send(new Account.Withdraw("small", 5, inbox.ref()));
    } finally {
      tracer.stop();
    }
    assertThat(tracer.events())
        .filteredOn(e -> e.actorName().equals(account.path().name()))
        .extracting(TraceEvent::kind)
        .containsExactly("refused", TraceKind.LEVEL, "withdraw", TraceKind.LEVEL);
    tracer.clear();
  }

  @Test
  void aRepeatedRequestIdGetsTheFirstAnswerAndIsNotAppliedTwice() {
    Account.Reply first = send(new Account.Withdraw("atm-1", 80, inbox.ref()));
    assertThat(send(new Account.Withdraw("atm-1", 80, inbox.ref()))).isEqualTo(first);
    assertThat(balance()).isEqualTo(20);
    Account.Reply refused = send(new Account.Withdraw("atm-2", 80, inbox.ref()));
    assertThat(refused).isInstanceOf(Account.Rejected.class);
    assertThat(send(new Account.Withdraw("atm-2", 80, inbox.ref()))).isEqualTo(refused);
    assertThat(balance()).isEqualTo(20);
  }

  @Test
  void aKeptIdIsRememberedBeyondTheWindowUntilItIsForgotten() {
    AccountState state = new AccountState(100, 2);
    state.keep("kept-before"); // kept before it is answered
    Account.Reply first = state.withdraw("kept-before", 10, 0);
    state.withdraw("kept-after", 5, 0);
    state.keep("kept-after"); // kept once answered: moved out of the window
    for (int i = 0; i < 5; i++) {
      state.deposit("other-" + i, 1, 0); // the window of 2 ids turns over
    }
    assertThat(state.withdraw("kept-before", 10, 0)).isEqualTo(first);
    assertThat(state.withdraw("kept-after", 5, 0)).isInstanceOf(Account.Withdrawn.class);
    assertThat(state.balance()).isEqualTo(100 - 10 - 5 + 5);
    assertThat(state.withdraw("other-0", 1, 0))
        .as("an id outside the window and not kept is new again")
        .isInstanceOf(Account.Withdrawn.class);
    assertThat(state.keptCount()).isEqualTo(2);
    state.forget("kept-before");
    state.forget("kept-after");
    state.forget("never-kept");
    assertThat(state.keptCount()).isZero();
    assertThat(state.withdraw("kept-before", 10, 0))
        .as("forgotten, it ages out with the recent ids: a repeat right after is still answered")
        .isEqualTo(first);
    state.keep(" ");
    assertThat(state.keptCount()).as("a blank id is not kept").isZero();
  }

  @Test
  void theWindowCountsIdsAsTheyComeKeptOnesIncluded() {
    AccountState state = new AccountState(100, 3);
    Account.Reply a = state.deposit("a", 1, 0);
    state.deposit("b", 1, 0);
    state.deposit("c", 1, 0);
    state.keep("b"); // out of the window, into the kept ids
    assertThat(state.deposit("a", 1, 0)).as("a is still among the last 3 ids").isEqualTo(a);
    state.deposit("d", 1, 0);
    assertThat(state.deposit("a", 1, 0))
        .as("a, b, c, d came: a is not among the last 3, though b left the window")
        .isEqualTo(new Account.Deposited("a", 1, 105));
    assertThat(state.deposit("b", 1, 0))
        .as("b is kept")
        .isEqualTo(new Account.Deposited("b", 1, 102));
  }

  @Test
  void aRequestIdReusedForAnotherRequestIsRefusedAndTheFirstAnswerStays() {
    Account.Reply first = send(new Account.Withdraw("atm-3", 30, inbox.ref()));
    assertThat(first).isEqualTo(new Account.Withdrawn("atm-3", 30, 70));
    assertThat(reason(new Account.Deposit("atm-3", 500, inbox.ref())))
        .contains("atm-3", "was used for a withdrawal of 30");
    assertThat(reason(new Account.Withdraw("atm-3", 31, inbox.ref())))
        .contains("was used for a withdrawal of 30");
    assertThat(send(new Account.Withdraw("atm-3", 30, inbox.ref()))).isEqualTo(first);
    assertThat(balance()).isEqualTo(70);
  }

  @Test
  void badInputIsRejectedWithAReasonAndTheBalanceIsUnchanged() {
    assertThat(reason(new Account.Deposit("z", 0, inbox.ref()))).contains("positive");
    assertThat(reason(new Account.Withdraw("n", -5, inbox.ref()))).contains("positive");
    assertThat(reason(new Account.Withdraw("big", 101, inbox.ref())))
        .contains("insufficient funds");
    assertThat(reason(new Account.Deposit("max", Long.MAX_VALUE, inbox.ref())))
        .contains("overflow");
    assertThat(reason(new Account.Deposit(null, 5, inbox.ref()))).contains("request id");
    assertThat(reason(new Account.Deposit(" ", 5, inbox.ref()))).contains("request id");
    assertThat(reason(new Account.Deposit("neg-token", 5, -1, inbox.ref())))
        .contains("fencing token");
    assertThat(balance()).isEqualTo(100);
  }

  @Test
  void aStaleFencingTokenCannotWrite() {
    assertThat(send(new Account.Withdraw("old-holder-1", 10, 7, inbox.ref())))
        .isInstanceOf(Account.Withdrawn.class);
    assertThat(send(new Account.Withdraw("new-holder", 10, 8, inbox.ref())))
        .isInstanceOf(Account.Withdrawn.class);
    assertThat(reason(new Account.Withdraw("old-holder-2", 10, 7, inbox.ref())))
        .contains("stale fencing token 7");
    assertThat(send(new Account.Deposit("no-token", 5, inbox.ref())))
        .isInstanceOf(Account.Deposited.class);
    assertThat(balance()).isEqualTo(85);
  }

  @Test
  void aHolderWhoseLeaseWasRevokedCannotWriteAfterTheNextHolderHas() {
    ActorRef<Mutex.Command> till =
        testKit.spawn(Mutex.create(Mutex.Settings.defaults().withLease(Duration.ofMillis(100))));
    TestProbe<Mutex.Reply> slow = testKit.createTestProbe(Mutex.Reply.class);
    TestProbe<Mutex.Reply> next = testKit.createTestProbe(Mutex.Reply.class);
    till.tell(new Mutex.Acquire(slow.ref(), slow.ref()));
    long slowToken = slow.expectMessageClass(Mutex.Granted.class, Duration.ofSeconds(3)).token();
    till.tell(new Mutex.Acquire(next.ref(), next.ref()));
    long nextToken = next.expectMessageClass(Mutex.Granted.class, Duration.ofSeconds(3)).token();
    assertThat(slow.expectMessageClass(Mutex.Revoked.class, Duration.ofSeconds(3)).token())
        .isEqualTo(slowToken);

    assertThat(send(new Account.Withdraw("next", 30, nextToken, inbox.ref())))
        .isInstanceOf(Account.Withdrawn.class);
    assertThat(reason(new Account.Withdraw("slow", 30, slowToken, inbox.ref())))
        .contains("stale fencing token");
    assertThat(balance()).isEqualTo(70);
  }

  @Test
  void anAccountFencedByItsMutexRefusesTheOldHolderFromTheNextGrantOnBeforeTheNewHolderWrites() {
    ActorRef<Mutex.Command> till =
        testKit.spawn(Mutex.create(Mutex.Settings.defaults().withLease(Duration.ofMillis(100))));
    ActorRef<Account.Command> fenced =
        testKit.spawn(Account.create(Account.Settings.opening(100).fencedBy(till)));
    TestProbe<Mutex.Reply> slow = testKit.createTestProbe(Mutex.Reply.class);
    TestProbe<Mutex.Reply> next = testKit.createTestProbe(Mutex.Reply.class);
    till.tell(new Mutex.Acquire(slow.ref(), slow.ref()));
    long slowToken = slow.expectMessageClass(Mutex.Granted.class, Duration.ofSeconds(3)).token();
    till.tell(new Mutex.Acquire(next.ref(), next.ref()));
    next.expectMessageClass(Mutex.Granted.class, Duration.ofSeconds(3)); // the lease ran out
    slow.expectMessageClass(Mutex.Revoked.class, Duration.ofSeconds(3));

    // The new holder has not written anything; the old one's token is refused all the same.
    fenced.tell(new Account.Withdraw("slow", 30, slowToken, inbox.ref()));
    assertThat(
            ((Account.Rejected)
                    inbox.expectMessageClass(Account.Reply.class, Duration.ofSeconds(3)))
                .reason())
        .contains("stale fencing token " + slowToken);
    fenced.tell(new Account.GetStatus(inbox.ref()));
    assertThat(
            ((Account.Status) inbox.expectMessageClass(Account.Reply.class, Duration.ofSeconds(3)))
                .balance())
        .isEqualTo(100);
  }

  @Test
  void aRevokedHolderIsRefusedEvenWhenNobodyElseTookTheLock() {
    ActorRef<Mutex.Command> till =
        testKit.spawn(Mutex.create(Mutex.Settings.defaults().withLease(Duration.ofMillis(100))));
    ActorRef<Account.Command> fenced =
        testKit.spawn(Account.create(Account.Settings.opening(100).fencedBy(till)));
    TestProbe<Mutex.Reply> slow = testKit.createTestProbe(Mutex.Reply.class);
    till.tell(new Mutex.Acquire(slow.ref(), slow.ref()));
    long token = slow.expectMessageClass(Mutex.Granted.class, Duration.ofSeconds(3)).token();
    slow.expectMessageClass(Mutex.Revoked.class, Duration.ofSeconds(3)); // nobody waits
    fenced.tell(new Account.Withdraw("slow", 30, token, inbox.ref()));
    assertThat(
            ((Account.Rejected)
                    inbox.expectMessageClass(Account.Reply.class, Duration.ofSeconds(3)))
                .reason())
        .contains("stale fencing token " + token);
  }

  @Test
  void aGuardedResourceThatAlsoTakesTheLockIsWatchedOnceAndGranted() {
    ActorRef<Mutex.Command> till = testKit.spawn(Mutex.create(Mutex.Settings.defaults()));
    TestProbe<Object> both = testKit.createTestProbe();
    till.tell(new Mutex.Guard(both.ref().narrow()));
    till.tell(new Mutex.Acquire(both.ref(), both.ref().narrow()));
    assertThat(both.receiveMessage(Duration.ofSeconds(3))).isInstanceOf(Mutex.NewToken.class);
    assertThat(both.receiveMessage(Duration.ofSeconds(3))).isInstanceOf(Mutex.Granted.class);
  }

  @Test
  void anAccountThatRequiresATokenRefusesWritesWithoutOneAndTakesThemUnderTheLock() {
    ActorRef<Mutex.Command> till = testKit.spawn(Mutex.create(Mutex.Settings.defaults()));
    AccountClient guarded =
        AccountClient.of(
            testKit.spawn(
                Account.create(Account.Settings.opening(100).fencedBy(till).requiringToken())),
            testKit.system());
    assertThatThrownBy(() -> guarded.withdraw(10))
        .isInstanceOf(RejectedException.class)
        .hasMessageContaining("only under a fencing token");
    MutexClient lock = MutexClient.of(till, testKit.system());
    try (MutexClient.Lock held = lock.acquire(Duration.ofSeconds(3))) {
      assertThat(guarded.withdraw(held, "w-1", 10, Duration.ofSeconds(3))).isEqualTo(90);
      assertThat(guarded.deposit(held, "d-1", 5, Duration.ofSeconds(3))).isEqualTo(95);
    }
    assertThat(guarded.balance()).isEqualTo(95);
  }

  @Test
  void theClientAnswersBalancesAndThrowsTheAccountsReason() {
    AccountClient client = AccountClient.of(account, testKit.system());
    assertThat(client.deposit(5)).isEqualTo(105);
    assertThat(client.withdraw("same", 50, Duration.ofSeconds(3))).isEqualTo(55);
    assertThat(client.withdraw("same", 50, Duration.ofSeconds(3))).isEqualTo(55);
    assertThat(client.balance()).isEqualTo(55);
    assertThatThrownBy(() -> client.withdraw(500))
        .isInstanceOf(RejectedException.class)
        .hasMessageContaining("insufficient funds");
    assertThat(client.balance()).isEqualTo(55);
  }

  private String reason(Account.Command command) {
    return ((Account.Rejected) send(command)).reason();
  }
}
