package dev.actorkit.demos.scenarios;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.demos.Scenario;
import dev.actorkit.demos.ScenarioContext;
import dev.actorkit.demos.ScenarioOption;
import dev.actorkit.demos.ScenarioResult;
import dev.actorkit.demos.Story;
import dev.actorkit.demos.ThreadsTrace;
import dev.actorkit.patterns.account.Account;
import dev.actorkit.patterns.account.AccountClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The ATM race: two people withdraw from one account at the same moment. Told three times: a plain
 * shared field (the race, reproduced every time), a {@code ReentrantLock}, and an {@code Account}
 * actor.
 */
public final class AtmRaceScenario implements Scenario {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Override
  public String name() {
    return "atm-race";
  }

  @Override
  public String title() {
    return "Two ATMs withdraw at once: a plain field goes negative, a lock or an Account actor refuses one";
  }

  @Override
  public List<ScenarioOption> options() {
    return List.of(
        ScenarioOption.integer("balance", 100, "the opening balance").atLeast(0),
        ScenarioOption.integer("amount", 80, "what each of the two people withdraws").atLeast(1));
  }

  /** The shared-memory account: a plain field, no lock. */
  private static final class PlainAccount {
    long balance;
  }

  @Override
  public ScenarioResult run(ScenarioContext context) throws Exception {
    Story story = context.story();
    long opening = context.intOption("balance");
    long amount = context.intOption("amount");
    story.note(
        "An account holds %d. Two people withdraw %d each, at two ATMs, at the same moment.",
        opening, amount);

    // Both threads tellings are traced as threads/account, like the Account actor of the third.
    ThreadsTrace trace = ThreadsTrace.of(context, "account");
    long unsafe = unsafe(story, trace, opening, amount);
    int[] locked = locked(story, trace, opening, amount);
    long[] actor = actors(context, opening, amount);

    story.section("What happened");
    story.note(
        "plain field: %d   ReentrantLock: %d (%d refused)   Account actor: %d (%d refused)",
        unsafe, locked[0], locked[1], actor[0], actor[1]);
    boolean lockedRight = locked[0] == opening - amount * (2 - locked[1]) && locked[0] >= 0;
    boolean actorRight = actor[0] == opening - amount * (2 - actor[1]) && actor[0] >= 0;
    return ScenarioResult.of(lockedRight && actorRight && locked[0] == actor[0])
        .with("unsafe_balance", unsafe)
        .with("locked_balance", locked[0])
        .with("locked_refused", locked[1])
        .with("actor_balance", actor[0])
        .with("actor_refused", actor[1]);
  }

  private long unsafe(Story story, ThreadsTrace trace, long opening, long amount) throws Exception {
    story.section("With threads and a plain field");
    story.note("Each ATM thread checks 'balance >= amount', then does 'balance -= amount'.");
    story.note("A barrier holds each thread after its check until both have checked: the unlucky");
    story.note("interleaving that happens now and then in real life, made to happen every time.");
    PlainAccount account = new PlainAccount();
    account.balance = opening;
    CyclicBarrier bothChecked = new CyclicBarrier(2);
    CountDownLatch firstWrote = new CountDownLatch(1);
    Thread one =
        new Thread(
            () -> atm(story, trace, "ATM-1", account, amount, bothChecked, null, firstWrote),
            "ATM-1");
    Thread two =
        new Thread(
            () -> atm(story, trace, "ATM-2", account, amount, bothChecked, firstWrote, null),
            "ATM-2");
    one.start();
    two.start();
    one.join(TimeUnit.SECONDS.toMillis(10));
    two.join(TimeUnit.SECONDS.toMillis(10));
    story.say(
        "final balance: %d. Both checks passed against the same %d, so both subtracted.",
        account.balance, opening);
    return account.balance;
  }

  private static void atm(
      Story story,
      ThreadsTrace trace,
      String name,
      PlainAccount account,
      long amount,
      CyclicBarrier bothChecked,
      CountDownLatch waitFor,
      CountDownLatch signal) {
    try {
      long seen = account.balance;
      trace.event("read", "balance " + seen);
      boolean enough = seen >= amount;
      story.say(
          "%s reads the balance: %d, enough for %d? %s", name, seen, amount, enough ? "yes" : "no");
      bothChecked.await(10, TimeUnit.SECONDS);
      if (waitFor != null) {
        waitFor.await(10, TimeUnit.SECONDS);
      }
      if (enough) {
        account.balance -= amount;
        trace.event("withdraw", amount + ", balance now " + account.balance);
        story.say("%s pays out %d; the balance is now %d", name, amount, account.balance);
      }
      if (signal != null) {
        signal.countDown();
      }
    } catch (Exception e) {
      Thread.currentThread().interrupt();
    }
  }

  private int[] locked(Story story, ThreadsTrace trace, long opening, long amount)
      throws Exception {
    story.section("With threads and a ReentrantLock");
    story.note(
        "The check and the subtraction now happen under one lock; both threads still arrive together.");
    long[] balance = {opening};
    AtomicInteger refused = new AtomicInteger();
    ReentrantLock lock = new ReentrantLock();
    CyclicBarrier bothArrived = new CyclicBarrier(2);
    Runnable atm =
        () -> {
          String name = Thread.currentThread().getName();
          try {
            bothArrived.await(10, TimeUnit.SECONDS);
          } catch (Exception e) {
            Thread.currentThread().interrupt();
            return;
          }
          try {
            trace.lock(lock, "");
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          try {
            story.say("%s has the lock and reads the balance: %d", name, balance[0]);
            if (balance[0] >= amount) {
              balance[0] -= amount;
              trace.event("withdraw", amount + ", balance now " + balance[0]);
              story.say("%s pays out %d; the balance is now %d", name, amount, balance[0]);
            } else {
              refused.incrementAndGet();
              trace.event("refused", "insufficient funds");
              story.say("%s refuses: insufficient funds (the other ATM held the lock first)", name);
            }
          } finally {
            trace.unlock(lock, "");
          }
        };
    Thread one = new Thread(atm, "ATM-1");
    Thread two = new Thread(atm, "ATM-2");
    one.start();
    two.start();
    one.join(TimeUnit.SECONDS.toMillis(10));
    two.join(TimeUnit.SECONDS.toMillis(10));
    lock.lock();
    try {
      story.say("final balance: %d, %d refused", balance[0], refused.get());
      return new int[] {(int) balance[0], refused.get()};
    } finally {
      lock.unlock();
    }
  }

  private record Go() {}

  /** An ATM actor: sends one Withdraw to the account and reports the answer. */
  private static Behavior<Object> atmActor(
      String name,
      ActorRef<Account.Command> account,
      long amount,
      Story story,
      CompletableFuture<Account.Reply> answer) {
    return Behaviors.setup(
        context -> {
          // The ATM itself is the reply address (not an adapter), so the account's trace names it.
          ActorRef<Account.Reply> replyTo = context.getSelf().narrow();
          return Behaviors.receive(Object.class)
              .onMessage(
                  Go.class,
                  go -> {
                    // Both ATMs send at once: these lines may come in either order, and the
                    // account's mailbox, not this line, decides whose Withdraw it handles first.
                    story.say(
                        "%s sends Withdraw(%d) to the account (both are on their way; the mailbox orders them)",
                        name, amount);
                    account.tell(new Account.Withdraw(name + "/withdraw-1", amount, replyTo));
                    return Behaviors.same();
                  })
              .onMessage(
                  Account.Reply.class,
                  reply -> {
                    if (reply instanceof Account.Withdrawn withdrawn) {
                      story.say(
                          "%s hears back: paid out %d, the balance is now %d",
                          name, amount, withdrawn.balance());
                    } else if (reply instanceof Account.Rejected rejected) {
                      story.say("%s hears back: refused, %s", name, rejected.reason());
                    }
                    answer.complete(reply);
                    return Behaviors.stopped();
                  })
              .build();
        });
  }

  private long[] actors(ScenarioContext context, long opening, long amount) {
    Story story = context.story();
    ActorKit kit = context.kit();
    story.section("With an Account actor");
    story.note(
        "The account is an actor: it takes one message at a time, so 'check, then subtract' is one step");
    story.note(
        "that nothing can interleave with. Two ATM actors send their Withdraw at the same moment.");
    AccountClient account = AccountClient.create(kit, "account", Account.Settings.opening(opening));
    CompletableFuture<Account.Reply> first = new CompletableFuture<>();
    CompletableFuture<Account.Reply> second = new CompletableFuture<>();
    ActorRef<Object> atm1 =
        kit.spawn(
            Branch.PRIMITIVES,
            "ATM-1",
            atmActor("ATM-1", account.ref(), amount, story, first),
            SpawnOptions.daemon());
    ActorRef<Object> atm2 =
        kit.spawn(
            Branch.PRIMITIVES,
            "ATM-2",
            atmActor("ATM-2", account.ref(), amount, story, second),
            SpawnOptions.daemon());
    atm1.tell(new Go());
    atm2.tell(new Go());
    List<Account.Reply> replies =
        List.of(
            first.orTimeout(10, TimeUnit.SECONDS).join(),
            second.orTimeout(10, TimeUnit.SECONDS).join());
    long refused = replies.stream().filter(reply -> reply instanceof Account.Rejected).count();
    long balance = account.balance(WAIT);
    story.say(
        "final balance: %d, %d refused. No lock anywhere: the mailbox is the queue.",
        balance, refused);
    return new long[] {balance, refused};
  }
}
