package dev.actorkit.bench.mutex;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.SpawnProtocol;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import dev.actorkit.bench.BenchSystems;
import dev.actorkit.patterns.account.Account;
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
 * before the measurement, so the figure is the account's work (dedup map, balance, reply), not
 * string building.
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

  private ActorSystem<SpawnProtocol.Command> system;
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
    return Behaviors.setup(context -> new Sender(context, account, ids));
  }

  static final class Sender extends AbstractBehavior<Object> {
    private final ActorRef<Account.Command> account;
    private final ActorRef<Account.Reply> self;
    private final String[] current;
    private int sent;
    private int answered;
    private CountDownLatch done;

    Sender(ActorContext<Object> context, ActorRef<Account.Command> account, String[] ids) {
      super(context);
      this.account = account;
      this.self = context.getSelf().narrow();
      this.current = ids;
    }

    @Override
    public Receive<Object> createReceive() {
      return newReceiveBuilder()
          .onMessage(Run.class, this::onRun)
          .onMessage(Account.Deposited.class, this::onAnswer)
          .build();
    }

    private Behavior<Object> onRun(Run run) {
      done = run.done();
      sent = 0;
      answered = 0;
      for (int i = 0; i < WINDOW && sent < current.length; i++) {
        send();
      }
      return this;
    }

    private Behavior<Object> onAnswer(Account.Deposited deposited) {
      if (++answered == current.length) {
        done.countDown();
      } else if (sent < current.length) {
        send();
      }
      return this;
    }

    private void send() {
      account.tell(new Account.Deposit(current[sent++], 1, self));
    }
  }

  /**
   * The raw-Akka floor under the account: answers every deposit with a {@code Deposited}, as the
   * account does, but keeps no balance and no memory of request ids.
   */
  static Behavior<Account.Command> echoAccount() {
    return Behaviors.receive(Account.Command.class)
        .onMessage(
            Account.Deposit.class,
            deposit -> {
              deposit
                  .replyTo()
                  .tell(new Account.Deposited(deposit.requestId(), deposit.amount(), 0));
              return Behaviors.same();
            })
        .build();
  }

  @Setup(Level.Trial)
  public void start() {
    system = BenchSystems.start("account");
    ActorRef<Account.Command> account =
        BenchSystems.spawn(
            system,
            Account.create(Account.Settings.opening(0).rememberingLast(remembered)),
            "account",
            BenchSystems.dispatcher(dispatcher));
    ActorRef<Account.Command> echo =
        BenchSystems.spawn(
            system, echoAccount(), "echo-account", BenchSystems.dispatcher(dispatcher));
    int perSender = OPERATIONS / SENDERS;
    for (int s = 0; s < SENDERS; s++) {
      String[] ids = new String[perSender];
      for (int i = 0; i < perSender; i++) {
        ids[i] = s + "-" + i;
      }
      senders.add(spawnSender(account, ids, "sender-" + s));
      floorSenders.add(spawnSender(echo, ids, "floor-sender-" + s));
    }
  }

  private ActorRef<Object> spawnSender(
      ActorRef<Account.Command> target, String[] ids, String name) {
    return BenchSystems.spawn(
        system, sender(target, ids), name, BenchSystems.dispatcher(dispatcher));
  }

  @TearDown(Level.Trial)
  public void stop() {
    BenchSystems.stop(system);
    senders.clear();
    floorSenders.clear();
  }

  /**
   * Four sender actors, every deposit answered. Each invocation reuses the same ids, but an id
   * comes back only 400,000 operations later, long after it left the account's memory of the last
   * 10,000, so every deposit is applied.
   */
  @Benchmark
  @OperationsPerInvocation(OPERATIONS)
  public void accountActor4Senders() throws InterruptedException {
    runAll(senders);
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
