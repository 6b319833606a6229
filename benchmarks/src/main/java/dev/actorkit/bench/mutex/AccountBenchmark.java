package dev.actorkit.bench.mutex;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.SpawnProtocol;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.bench.BenchSystems;
import dev.actorkit.patterns.account.Account;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Account operations per second from four senders: an {@link Account} actor receiving deposits from
 * four sender actors (each with a fresh request id, each answered), beside an {@code AtomicLong}
 * and a {@code ReentrantLock}-guarded field updated by four threads. Run it with {@code
 * dev.actorkit.bench.floor.Tell} for the one-way tell floor.
 *
 * <p>Each sender keeps up to {@link #WINDOW} deposits outstanding and sends one more per answer, so
 * the mailbox stays bounded and every operation is a full request and answer. Request ids are made
 * before the measurement, so the figure is the account's work (dedup memory, balance, reply), not
 * string building (and each string's hash, which the string caches, is computed once, where a
 * client's fresh id is hashed by the account). Each sender goes round its own {@link #idsPerSender}
 * ids, more than the account remembers, so an id comes back only after the account has let it go;
 * the trial ends by checking that the balance counts every deposit sent, none answered from memory
 * instead of applied.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AccountBenchmark {

  /** The coordination dispatcher as configured, or one it replaced (BenchSystems names them). */
  @Param({"forkjoin", "percore", "coordination"})
  public String dispatcher;

  static final int OPERATIONS = 400_000;
  public static final int SENDERS = 4;
  static final int WINDOW = 256;

  /**
   * How many recent request ids the account remembers (the default 10,000; {@code -p
   * remembered=100} shows what a memory that fits in a core's cache costs).
   */
  @Param({"10000"})
  public int remembered;

  /**
   * How many ids each sender goes round: 12,288, more than the 10,000 the account remembers, so an
   * id comes back only after the account forgot it even when its sender is the only one sending. A
   * client makes its id just before it sends, so the account reads an id still in the cache; about
   * 50,000 ids (2.4 MB of strings) stay in the processor's last-level cache. {@code -p
   * idsPerSender=100000} (one id per deposit of an invocation, 22 MB) is the cold case; on the
   * 2-core machine of benchmarks/README.md it measured no worse.
   */
  @Param({"12288"})
  public int idsPerSender;

  private ActorSystem<SpawnProtocol.Command> system;
  private ActorRef<Account.Command> account;
  private long accountRuns;
  private final List<ActorRef<Object>> senders = new ArrayList<>();
  private final List<ActorRef<Object>> floorSenders = new ArrayList<>();
  private final AtomicLong atomic = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  private long guarded;

  public record Run(CountDownLatch done) {}

  /**
   * A sender of deposits to {@code account}, one per id in {@code ids}, with up to {@link #WINDOW}
   * outstanding; told {@link Run}, it sends them all and counts {@code done} down when all are
   * answered.
   */
  public static Behavior<Object> sender(ActorRef<Account.Command> account, String[] ids) {
    return sender(account, ids, ids.length);
  }

  /**
   * A sender of {@code deposits} deposits per {@link Run}, taking its ids from {@code ids} in turn
   * and going round again: {@code ids} must be longer than the account's memory.
   */
  public static Behavior<Object> sender(
      ActorRef<Account.Command> account, String[] ids, int deposits) {
    return Behaviors.setup(context -> new Sender(context, account, ids, deposits));
  }

  /*
   * instanceof tests rather than a receive builder, as the kit's own actors do: the sender is the
   * client's part of every operation, the floor's and the account's alike.
   */
  static final class Sender extends AbstractOnMessageBehavior<Object> {
    private final ActorRef<Account.Command> account;
    private final ActorRef<Account.Reply> self;
    private final String[] ids;
    private final int deposits;
    private int nextId;
    private int sent;
    private int answered;
    private CountDownLatch done;

    Sender(
        ActorContext<Object> context,
        ActorRef<Account.Command> account,
        String[] ids,
        int deposits) {
      super(context);
      this.account = account;
      this.self = context.getSelf().narrow();
      this.ids = ids;
      this.deposits = deposits;
    }

    @Override
    public Behavior<Object> onMessage(Object message) {
      if (message instanceof Account.Deposited) {
        return onAnswer();
      } else if (message instanceof Run run) {
        return onRun(run);
      }
      throw new IllegalStateException("a sender was answered " + message);
    }

    private Behavior<Object> onRun(Run run) {
      done = run.done();
      sent = 0;
      answered = 0;
      for (int i = 0; i < WINDOW && sent < deposits; i++) {
        send();
      }
      return this;
    }

    private Behavior<Object> onAnswer() {
      if (++answered == deposits) {
        done.countDown();
      } else if (sent < deposits) {
        send();
      }
      return this;
    }

    private void send() {
      account.tell(new Account.Deposit(ids[nextId], 1, self));
      nextId = nextId + 1 == ids.length ? 0 : nextId + 1;
      sent++;
    }
  }

  /**
   * The raw-Akka floor under the account: answers every deposit with a {@code Deposited}, as the
   * account does, but keeps no balance and no memory of request ids. It dispatches as the account
   * does ({@code instanceof}), so that it is the most the account could do.
   */
  static Behavior<Account.Command> echoAccount() {
    return Behaviors.setup(EchoAccount::new);
  }

  private static final class EchoAccount extends AbstractOnMessageBehavior<Account.Command> {
    EchoAccount(ActorContext<Account.Command> context) {
      super(context);
    }

    @Override
    public Behavior<Account.Command> onMessage(Account.Command message) {
      if (message instanceof Account.Deposit deposit) {
        deposit.replyTo().tell(new Account.Deposited(deposit.requestId(), deposit.amount(), 0));
      }
      return this;
    }
  }

  @Setup(Level.Trial)
  public void start() {
    system = BenchSystems.start("account");
    account =
        BenchSystems.spawn(
            system,
            Account.create(Account.Settings.opening(0).rememberingLast(remembered)),
            "account",
            BenchSystems.dispatcher(dispatcher));
    ActorRef<Account.Command> echo =
        BenchSystems.spawn(
            system, echoAccount(), "echo-account", BenchSystems.dispatcher(dispatcher));
    if (idsPerSender <= remembered) {
      throw new IllegalArgumentException(
          "a sender's ids would come back while the account remembers them: idsPerSender "
              + idsPerSender
              + " is not more than remembered "
              + remembered);
    }
    for (int s = 0; s < SENDERS; s++) {
      String[] ids = new String[idsPerSender];
      for (int i = 0; i < idsPerSender; i++) {
        ids[i] = s + "-" + i;
      }
      senders.add(spawnSender(account, ids, "sender-" + s));
      floorSenders.add(spawnSender(echo, ids, "floor-sender-" + s));
    }
  }

  private ActorRef<Object> spawnSender(
      ActorRef<Account.Command> target, String[] ids, String name) {
    return BenchSystems.spawn(
        system,
        sender(target, ids, OPERATIONS / SENDERS),
        name,
        BenchSystems.dispatcher(dispatcher));
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    try {
      Account.Reply status =
          AskPattern.<Account.Command, Account.Reply>ask(
                  account, Account.GetStatus::new, Duration.ofSeconds(10), system.scheduler())
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      Account.Status expected = new Account.Status(accountRuns * OPERATIONS, 0);
      if (!status.equals(expected)) {
        throw new IllegalStateException(
            "the account answered "
                + status
                + " after "
                + expected.balance()
                + " deposits: some were answered from memory, not applied");
      }
    } finally {
      BenchSystems.stop(system);
      senders.clear();
      floorSenders.clear();
    }
  }

  /** Four sender actors, every deposit answered and applied. */
  @Benchmark
  @OperationsPerInvocation(OPERATIONS)
  public void accountActor4Senders() throws InterruptedException {
    runAll(senders);
    accountRuns++;
  }

  /**
   * The same four senders, windows and messages against {@link #echoAccount}: what Akka alone costs
   * for a deposit and its answer, the most the account could do.
   */
  @Benchmark
  @OperationsPerInvocation(OPERATIONS)
  public void floorEchoAccount4Senders() throws InterruptedException {
    runAll(floorSenders);
  }

  private static void runAll(List<ActorRef<Object>> senders) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(SENDERS);
    for (ActorRef<Object> sender : senders) {
      sender.tell(new Run(done));
    }
    if (!done.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the senders did not finish");
    }
  }

  @Benchmark
  @Threads(4)
  public long atomicLong4Threads() {
    return atomic.addAndGet(1);
  }

  @Benchmark
  @Threads(4)
  public long lockedField4Threads() {
    lock.lock();
    try {
      return guarded += 1;
    } finally {
      lock.unlock();
    }
  }
}
