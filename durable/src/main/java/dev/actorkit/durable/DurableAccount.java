package dev.actorkit.durable;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PreRestart;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import akka.persistence.typed.javadsl.SignalHandler;
import dev.actorkit.core.KitMessage;
import dev.actorkit.core.trace.TraceKind;
import dev.actorkit.core.trace.Tracer;
import dev.actorkit.patterns.account.Account;
import dev.actorkit.patterns.account.AccountState;
import dev.actorkit.patterns.mutex.Mutex;
import java.util.Objects;

/**
 * An account whose ledger outlives the JVM that hosts it: the {@link Account} protocol,
 * event-sourced in the durable journal. Every deposit and withdrawal (refused ones too), every
 * fence and every kept or forgotten request id is an event; replaying them through the same pure
 * {@link AccountState} rebuilds the balance, the highest token and the remembered answers, so a
 * request id repeated after a failover or a restart of the whole cluster still gets its first
 * answer and is not applied twice. {@link DurableKit#account} opens it and reaches it by name,
 * through the same {@code AccountClient}.
 *
 * <p><b>Fencing across failover.</b> An account opened {@link Settings#fencedBy fenced by} a
 * durable mutex asks that mutex, by name, to tell it each new token ({@code Mutex.Guard}) when it
 * opens and again whenever it starts on a new node, and writes each token it is told as an event.
 * Since a durable mutex's tokens never repeat, the fence never has to go down: a holder that lost
 * the lock is refused, and the next holder is not.
 *
 * <p><b>Differences from the in-memory account.</b> A balance read is answered but not remembered
 * (a read changes nothing, and is not written to the journal); the answers kept for repeats are the
 * last {@link Settings#rememberedRequests()} writes and refusals, plus the ids kept by a bank
 * ({@code Account.Keep}). There are no snapshots yet: a recovery replays the account's whole
 * journal.
 *
 * <p><b>When the journal fails</b>, the account restarts from the journal (after a short pause that
 * grows while the journal keeps failing); the caller of the write that failed is answered {@code
 * Rejected} first ({@link PendingWrite}), and nothing is answered that the journal does not have.
 */
public final class DurableAccount
    extends EventSourcedBehavior<Object, DurableAccount.Event, DurableAccount.Ledger> {

  /** The kind of persistence id and sharding entity: {@code actorkit-account|name}. */
  public static final String KIND = "actorkit-account";

  /**
   * How a durable account opens.
   *
   * @param openingBalance the balance it opens with, not negative
   * @param rememberedRequests how many recent writes' and refusals' answers it keeps for repeats
   * @param fencedBy the name of the durable mutex whose tokens fence it, or null
   * @param tokenRequired whether a write without a token is refused
   */
  public record Settings(
      long openingBalance, int rememberedRequests, String fencedBy, boolean tokenRequired)
      implements KitMessage {
    public Settings {
      if (openingBalance < 0) {
        throw new IllegalArgumentException(
            "the opening balance must not be negative, was " + openingBalance);
      }
      if (rememberedRequests < 1) {
        throw new IllegalArgumentException(
            "rememberedRequests must be at least 1, was " + rememberedRequests);
      }
      if (fencedBy != null && fencedBy.isBlank()) {
        throw new IllegalArgumentException("fencedBy names a durable mutex, got a blank name");
      }
    }

    /** An account that opens with {@code openingBalance} and keeps the last 1,000 answers. */
    public static Settings opening(long openingBalance) {
      return new Settings(openingBalance, 1_000, null, false);
    }

    /** These settings, fenced by the tokens of the durable mutex named {@code mutex}. */
    public Settings fencedBy(String mutex) {
      return new Settings(
          openingBalance, rememberedRequests, Objects.requireNonNull(mutex, "mutex"), true);
    }

    /** These settings, keeping the answers to the last {@code rememberedRequests} writes. */
    public Settings rememberingLast(int rememberedRequests) {
      return new Settings(openingBalance, rememberedRequests, fencedBy, tokenRequired);
    }
  }

  /**
   * Opens the account with {@code settings}, answered {@code Status}; an account that is open
   * already answers {@code Status} too if the settings are the same, else {@code Rejected}.
   */
  public record Open(Settings settings, ActorRef<Account.Reply> replyTo) implements KitMessage {}

  /** What the journal of an account holds. */
  public sealed interface Event extends KitMessage {}

  /** The account was opened with these settings. */
  public record Opened(Settings settings) implements Event {}

  /** A deposit ({@code deposit}) or withdrawal was asked for; applied, repeated or refused. */
  public record Requested(boolean deposit, String requestId, long amount, long token)
      implements Event {}

  /** The guarding mutex granted {@code token}: lower tokens are stale. */
  public record Fenced(long token) implements Event {}

  /** A bank asked to keep the answer to {@code requestId} until it forgets it. */
  public record Kept(String requestId) implements Event {}

  /** A bank will not repeat {@code requestId}. */
  public record Forgot(String requestId) implements Event {}

  /** The guarding mutex's news, through a message adapter. */
  private record TokenGranted(long token) {}

  /**
   * The state the journal rebuilds: the settings once opened, the pure account, and the answer to
   * the request last applied (so the command that wrote it can reply). Mutable, as the event
   * handler changes it in place; it belongs to one entity.
   */
  public static final class Ledger {
    private Settings settings;
    private AccountState account;
    private Account.Reply lastAnswer;

    boolean isOpen() {
      return account != null;
    }
  }

  private final ActorContext<Object> context;
  private final String name;
  private final Tracer tracer;
  private final ActorRef<Mutex.NewToken> tokens;

  /** The write pending, known by the sequence number its event will have. */
  private final PendingWrite<Long> pending = new PendingWrite<>();

  /** The ledger as last recovered: only read to answer a write settled after a restart. */
  private Ledger current;

  /** The account named {@code name}, kept under {@code actorkit-account|name}. */
  public static Behavior<Object> create(String name) {
    return Behaviors.setup(context -> new DurableAccount(name, context));
  }

  private DurableAccount(String name, ActorContext<Object> context) {
    super(PersistenceId.of(KIND, name), PendingWrite.ON_WRITE_FAILURE);
    this.name = name;
    this.context = context;
    this.tracer = Tracer.get(context.getSystem());
    this.tokens =
        context.messageAdapter(Mutex.NewToken.class, news -> new TokenGranted(news.token()));
  }

  @Override
  public String journalPluginId() {
    return DurableKit.JOURNAL;
  }

  @Override
  public String snapshotPluginId() {
    return DurableKit.SNAPSHOT_STORE;
  }

  @Override
  public Ledger emptyState() {
    return new Ledger();
  }

  @Override
  public CommandHandler<Object, Event, Ledger> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Open.class, this::onOpen)
        .onCommand(
            Account.Deposit.class,
            (ledger, c) -> write(ledger, true, c.requestId(), c.amount(), c.token(), c.replyTo()))
        .onCommand(
            Account.Withdraw.class,
            (ledger, c) -> write(ledger, false, c.requestId(), c.amount(), c.token(), c.replyTo()))
        .onCommand(Account.Balance.class, this::onBalance)
        .onCommand(Account.GetStatus.class, (ledger, c) -> answer(c.replyTo(), status(ledger)))
        .onCommand(
            Account.Keep.class,
            (ledger, c) -> ledger.isOpen() ? Effect().persist(new Kept(c.requestId())) : none())
        .onCommand(
            Account.Forget.class,
            (ledger, c) -> ledger.isOpen() ? Effect().persist(new Forgot(c.requestId())) : none())
        .onCommand(
            TokenGranted.class,
            (ledger, c) -> ledger.isOpen() ? Effect().persist(new Fenced(c.token())) : none())
        .build();
  }

  @Override
  public EventHandler<Ledger, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(
            Opened.class,
            (empty, opened) -> {
              // A new object: Akka keeps the empty state for the next recovery, which must not
              // see an opening the journal may not have.
              Ledger ledger = new Ledger();
              Settings settings = opened.settings();
              ledger.settings = settings;
              ledger.account =
                  new AccountState(settings.openingBalance(), settings.rememberedRequests());
              if (settings.tokenRequired()) {
                ledger.account.requireToken();
              }
              return ledger;
            })
        .onEvent(
            Requested.class,
            (ledger, asked) -> {
              ledger.lastAnswer =
                  asked.deposit()
                      ? ledger.account.deposit(asked.requestId(), asked.amount(), asked.token())
                      : ledger.account.withdraw(asked.requestId(), asked.amount(), asked.token());
              return ledger;
            })
        .onEvent(
            Fenced.class,
            (ledger, fenced) -> {
              ledger.account.fence(fenced.token());
              return ledger;
            })
        .onEvent(
            Kept.class,
            (ledger, kept) -> {
              ledger.account.keep(kept.requestId());
              return ledger;
            })
        .onEvent(
            Forgot.class,
            (ledger, forgot) -> {
              ledger.account.forget(forgot.requestId());
              return ledger;
            })
        .build();
  }

  @Override
  public SignalHandler<Ledger> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(PreRestart.instance(), ledger -> pending.failed())
        .onSignal(
            RecoveryCompleted.instance(),
            ledger -> {
              current = ledger;
              if (ledger.isOpen()) {
                guard(ledger.settings);
              }
              // A write that failed was made if the journal has its event: the last one replayed.
              pending.recovered(lastSequenceNumber(context));
            })
        .build();
  }

  private Effect<Event, Ledger> onOpen(Ledger ledger, Open open) {
    if (ledger.isOpen()) {
      return answer(
          open.replyTo(),
          ledger.settings.equals(open.settings())
              ? status(ledger)
              : new Account.Rejected(
                  "the account " + name + " is open with " + ledger.settings + " already"));
    }
    pending.expect(
        lastSequenceNumber(context) + 1,
        () -> {
          guard(current.settings);
          open.replyTo().tell(status(current));
        },
        () -> open.replyTo().tell(new Account.Rejected(PendingWrite.STORE_FAILED)));
    return Effect()
        .persist(new Opened(open.settings()))
        .thenRun(
            (Ledger opened) -> {
              pending.done();
              guard(opened.settings);
              open.replyTo().tell(status(opened));
            });
  }

  private Effect<Event, Ledger> write(
      Ledger ledger,
      boolean deposit,
      String requestId,
      long amount,
      long token,
      ActorRef<Account.Reply> replyTo) {
    if (!ledger.isOpen()) {
      return answer(replyTo, notOpen());
    }
    pending.expect(
        lastSequenceNumber(context) + 1,
        () -> replyTo.tell(current.lastAnswer), // its event was the last one replayed
        () -> replyTo.tell(new Account.Rejected(PendingWrite.STORE_FAILED)));
    return Effect()
        .persist(new Requested(deposit, requestId, amount, token))
        .thenRun(
            (Ledger after) -> {
              pending.done();
              if (tracer.enabled()) {
                // as Account traces it: for whoever asked, and the balance as its level
                tracer.emit(
                    context.getSelf(),
                    Account.traceKind(deposit ? "deposit" : "withdraw", after.lastAnswer),
                    replyTo,
                    Account.traceDetail(after.lastAnswer));
                tracer.emit(context.getSelf(), TraceKind.LEVEL, after.account.balance());
              }
              replyTo.tell(after.lastAnswer);
            });
  }

  private Effect<Event, Ledger> onBalance(Ledger ledger, Account.Balance balance) {
    if (!ledger.isOpen()) {
      return answer(balance.replyTo(), notOpen());
    }
    if (balance.requestId() == null || balance.requestId().isBlank()) {
      return answer(balance.replyTo(), new Account.Rejected("a request needs a request id"));
    }
    return answer(
        balance.replyTo(), new Account.BalanceIs(balance.requestId(), ledger.account.balance()));
  }

  /** Asks the guarding durable mutex, by name, to tell this incarnation each new token. */
  private void guard(Settings settings) {
    if (settings.fencedBy() != null) {
      ClusterSharding.get(context.getSystem())
          .entityRefFor(DurableKit.MUTEXES, settings.fencedBy())
          .tell(new Mutex.Guard(tokens));
    }
  }

  private Account.Reply status(Ledger ledger) {
    return ledger.isOpen()
        ? new Account.Status(ledger.account.balance(), ledger.account.highestToken())
        : notOpen();
  }

  private Account.Rejected notOpen() {
    return new Account.Rejected(
        "the account " + name + " has not been opened (DurableKit.account opens it)");
  }

  private Effect<Event, Ledger> answer(ActorRef<Account.Reply> replyTo, Account.Reply reply) {
    return Effect().none().thenRun(ignored -> replyTo.tell(reply));
  }

  private Effect<Event, Ledger> none() {
    return Effect().none();
  }
}
