package dev.actorkit.durable;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PreRestart;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import akka.persistence.typed.javadsl.SignalHandler;
import dev.actorkit.core.KitClock;
import dev.actorkit.core.KitMessage;
import dev.actorkit.core.trace.Tracer;
import dev.actorkit.patterns.account.Account;
import dev.actorkit.patterns.account.Bank;
import dev.actorkit.patterns.account.BankState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A bank whose transfers outlive the JVM that hosts it: the {@link Bank} protocol between {@link
 * DurableAccount durable accounts}, event-sourced in the durable journal. Every transfer asked for
 * and every answer (or silence) of an account to one of its steps is an event; replaying them
 * through the same pure {@link BankState} rebuilds which transfers run, at which step, how much
 * money is in flight and the outcomes of finished transfers. {@link DurableKit#bank} opens it and
 * reaches it by name, through the same {@code BankClient}, with the {@code ref()}s of clients that
 * {@link DurableKit#account} made as the accounts.
 *
 * <p><b>When its host dies</b> the bank starts on another node, rebuilds its bookkeeping and sends
 * every running transfer's current step again, with the same request id: the durable account
 * applies each step once (it kept the step's id before the step was first sent), so a transfer
 * interrupted by the move finishes as if nothing had happened, and its callers, whose addresses are
 * in the journal, get its outcome. A transfer that stalled in doubt stays so until its id is asked
 * for again, as in the in-memory bank. Money is neither created nor lost across any number of
 * moves.
 *
 * <p><b>Differences from the in-memory bank.</b> Accounts are named, not actor references, so a
 * transfer may only move money between durable accounts (another reference is refused, on the
 * caller's node, before anything is written). A refused transfer (bad input, a repeated id) is
 * written to the journal too: replaying needs every request in order. There are no snapshots yet: a
 * recovery replays the bank's whole journal.
 *
 * <p><b>When the journal fails</b>, as for {@link DurableAccount}: the bank restarts from the
 * journal; a transfer whose request was not written is answered {@code Rejected}, and one that was
 * written goes on.
 */
public final class DurableBank
    extends EventSourcedBehavior<Object, DurableBank.Event, DurableBank.Books> {

  /** The kind of persistence id and sharding entity: {@code actorkit-bank|name}. */
  public static final String KIND = "actorkit-bank";

  /**
   * Opens the bank with its step settings, answered {@code InFlight}; a bank that is open already
   * answers the same if the settings are the same, else {@code Rejected}.
   */
  public record Open(
      long stepTimeoutMillis, int maxAttempts, int rememberedOutcomes, ActorRef<Bank.Reply> replyTo)
      implements KitMessage {}

  /**
   * Move {@code amount} from the durable account named {@code from} to the one named {@code to}
   * ({@code DurableKit}'s bank forwarder sends this for a {@code Bank.Transfer} between durable
   * accounts).
   */
  public record Transfer(
      String transferId, String from, String to, long amount, ActorRef<Bank.Reply> replyTo)
      implements KitMessage {}

  /** What the journal of a bank holds. */
  public sealed interface Event extends KitMessage {}

  /** The bank was opened with these step settings (the step timeout in story milliseconds). */
  public record Opened(long stepTimeoutMillis, int maxAttempts, int rememberedOutcomes)
      implements Event {}

  /** A transfer was asked for (started, joined, resumed, refused or answered from memory). */
  public record Asked(
      String transferId, String from, String to, long amount, ActorRef<Bank.Reply> replyTo)
      implements Event {}

  /** An account answered a step of a transfer, or did not in time ({@code reply} null). */
  public record Answered(String transferId, BankState.Step step, Account.Reply reply)
      implements Event {}

  /**
   * An account's answer to a step, or its absence, through an ask adapter; {@code incarnation} says
   * which start of this entity sent the step.
   */
  private record StepAnswered(
      String transferId, BankState.Step step, Account.Reply reply, int incarnation) {}

  /**
   * What the journal rebuilds: the settings once opened, the pure bookkeeping, and what the event
   * last applied asks the bank to do (so the command that wrote it can do it). Mutable, as the
   * event handler changes it in place; it belongs to one entity.
   */
  public static final class Books {
    private Opened opened;
    private BankState<String, ActorRef<Bank.Reply>> state;
    private BankState.Action<String, ActorRef<Bank.Reply>> next;

    boolean isOpen() {
      return state != null;
    }
  }

  private final ActorContext<Object> context;
  private final String name;
  private final Tracer tracer;
  private final KitClock clock;
  private final ClusterSharding sharding;

  /** The write pending, known by the sequence number its event will have. */
  private final PendingWrite<Long> pending = new PendingWrite<>();

  /**
   * How many times this entity restarted after a journal failure. The asks of an earlier start
   * still answer after a restart, which sends every running step again itself: their answers are
   * dropped, or each step would be counted (and sent again) twice.
   */
  private int incarnation;

  /** The books as last recovered: only read to settle a write after a restart. */
  private Books current;

  /** The bank named {@code name}, kept under {@code actorkit-bank|name}. */
  public static Behavior<Object> create(String name) {
    return Behaviors.setup(context -> new DurableBank(name, context));
  }

  private DurableBank(String name, ActorContext<Object> context) {
    super(PersistenceId.of(KIND, name), PendingWrite.ON_WRITE_FAILURE);
    this.name = name;
    this.context = context;
    this.tracer = Tracer.get(context.getSystem());
    this.clock = KitClock.get(context.getSystem());
    this.sharding = ClusterSharding.get(context.getSystem());
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
  public Books emptyState() {
    return new Books();
  }

  @Override
  public CommandHandler<Object, Event, Books> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Open.class, this::onOpen)
        .onCommand(Transfer.class, this::onTransfer)
        .onCommand(
            Bank.Transfer.class,
            (books, c) ->
                answer(
                    c.replyTo(),
                    new Bank.Rejected(
                        "a durable bank moves money between durable accounts, named: reach it"
                            + " through DurableKit.bank")))
        .onCommand(
            Bank.GetInFlight.class,
            (books, c) ->
                answer(
                    c.replyTo(),
                    books.isOpen()
                        ? new Bank.InFlight(books.state.inFlight(), books.state.inFlightTransfers())
                        : notOpen()))
        .onCommand(StepAnswered.class, this::onStepAnswered)
        .build();
  }

  @Override
  public EventHandler<Books, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(
            Opened.class,
            (empty, opened) -> {
              // A new object: Akka keeps the empty state for the next recovery, which must not
              // see an opening the journal may not have.
              Books books = new Books();
              books.opened = opened;
              books.state = new BankState<>(opened.maxAttempts(), opened.rememberedOutcomes());
              return books;
            })
        .onEvent(
            Asked.class,
            (books, asked) -> {
              books.next =
                  books.state.start(
                      asked.transferId(),
                      asked.from(),
                      asked.to(),
                      asked.amount(),
                      asked.replyTo());
              return books;
            })
        .onEvent(
            Answered.class,
            (books, answered) -> {
              books.next =
                  books.state.answered(answered.transferId(), answered.step(), answered.reply());
              return books;
            })
        .build();
  }

  @Override
  public SignalHandler<Books> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            PreRestart.instance(),
            books -> {
              pending.failed();
              incarnation++;
            })
        .onSignal(
            RecoveryCompleted.instance(),
            books -> {
              current = books;
              if (books.isOpen()) {
                // The steps in flight were lost with the old host (or were never sent): send each
                // again, with its request id, which its account applies at most once.
                books.state.resumable().forEach(send -> send(books, send));
              }
              // A write that failed was made if the journal has its event: the last one replayed.
              pending.recovered(lastSequenceNumber(context));
            })
        .build();
  }

  private Effect<Event, Books> onOpen(Books books, Open open) {
    Opened asked =
        new Opened(open.stepTimeoutMillis(), open.maxAttempts(), open.rememberedOutcomes());
    if (books.isOpen()) {
      return answer(
          open.replyTo(),
          books.opened.equals(asked)
              ? inFlight(books)
              : new Bank.Rejected("the bank " + name + " is open with " + books.opened));
    }
    pending.expect(
        lastSequenceNumber(context) + 1,
        () -> open.replyTo().tell(inFlight(current)),
        () -> open.replyTo().tell(new Bank.Rejected(PendingWrite.STORE_FAILED)));
    return Effect()
        .persist(asked)
        .thenRun(
            (Books after) -> {
              pending.done();
              open.replyTo().tell(inFlight(after));
            });
  }

  private Effect<Event, Books> onTransfer(Books books, Transfer transfer) {
    if (!books.isOpen()) {
      return answer(transfer.replyTo(), notOpen());
    }
    pending.expect(
        lastSequenceNumber(context) + 1,
        this::finishAfterRecovery, // a transfer it started was resumed by the recovery
        () -> transfer.replyTo().tell(new Bank.Rejected(PendingWrite.STORE_FAILED)));
    if (tracer.enabled()) {
      tracer.emit(
          context.getSelf(),
          "requested",
          transfer.replyTo(),
          transfer.transferId() + ": " + transfer.amount());
    }
    return Effect()
        .persist(
            new Asked(
                transfer.transferId(),
                transfer.from(),
                transfer.to(),
                transfer.amount(),
                transfer.replyTo()))
        .thenRun(this::written);
  }

  private Effect<Event, Books> onStepAnswered(Books books, StepAnswered answered) {
    if (!books.isOpen() || answered.incarnation() != incarnation) {
      return Effect().none();
    }
    pending.expect(lastSequenceNumber(context) + 1, this::finishAfterRecovery, () -> {});
    return Effect()
        .persist(new Answered(answered.transferId(), answered.step(), answered.reply()))
        .thenRun(this::written);
  }

  /** An event is in the journal: do what applying it asked for. */
  private void written(Books after) {
    pending.done();
    perform(after, after.next);
  }

  /**
   * A write whose acknowledgement was lost turned out to be in the journal: the recovery has sent
   * its steps again already, so only an outcome it reached is left to tell.
   */
  private void finishAfterRecovery() {
    if (current.next instanceof BankState.Finish<String, ActorRef<Bank.Reply>>) {
      perform(current, current.next);
    }
  }

  private void perform(Books books, BankState.Action<String, ActorRef<Bank.Reply>> action) {
    if (action instanceof BankState.Send<String, ActorRef<Bank.Reply>> send) {
      send(books, send);
    } else if (action instanceof BankState.Finish<String, ActorRef<Bank.Reply>> finish) {
      Bank.traceFinished(tracer, context.getSelf(), finish.replyTos(), finish.outcome());
      finish.replyTos().forEach(replyTo -> replyTo.tell(finish.outcome()));
      if (finish.over() != null) {
        forgetSteps(finish.over());
      }
    }
  }

  /** The transfer is over: its accounts may let go of the answers to its steps. */
  private void forgetSteps(BankState.Over<String> over) {
    String id = over.transferId();
    account(over.from()).tell(new Account.Forget(BankState.Step.WITHDRAW.requestId(id)));
    account(over.from()).tell(new Account.Forget(BankState.Step.REFUND.requestId(id)));
    account(over.to()).tell(new Account.Forget(BankState.Step.DEPOSIT.requestId(id)));
  }

  /**
   * Sends one step, its id kept by the account first (as the in-memory bank does, see {@link
   * Bank}), and turns its answer, or its absence within the step timeout, into a message.
   */
  private void send(Books books, BankState.Send<String, ActorRef<Bank.Reply>> send) {
    String requestId = send.requestId();
    EntityRef<Object> account = account(send.account());
    account.tell(new Account.Keep(requestId));
    BankState.Step step = send.step();
    long amount = send.amount();
    int sentBy = incarnation;
    Duration stepTimeout = clock.toReal(Duration.ofMillis(books.opened.stepTimeoutMillis()));
    // the account's timeline names the bank, not the ask's temporary actor (on this node; an
    // account elsewhere names it caller@NODE); the alias goes when the answer or the timeout comes
    List<ActorRef<Account.Reply>> asked = new ArrayList<>(1);
    context.ask(
        Account.Reply.class,
        account,
        stepTimeout,
        (ActorRef<Account.Reply> replyTo) -> {
          asked.add(replyTo);
          tracer.alias(replyTo, name);
          return step == BankState.Step.WITHDRAW
              ? new Account.Withdraw(requestId, amount, replyTo)
              : new Account.Deposit(requestId, amount, replyTo);
        },
        (reply, failure) -> {
          asked.forEach(tracer::unalias);
          return new StepAnswered(send.transferId(), step, failure == null ? reply : null, sentBy);
        });
  }

  private EntityRef<Object> account(String accountName) {
    return sharding.entityRefFor(DurableKit.ACCOUNTS, accountName);
  }

  private static Bank.Reply inFlight(Books books) {
    return new Bank.InFlight(books.state.inFlight(), books.state.inFlightTransfers());
  }

  private Bank.Rejected notOpen() {
    return new Bank.Rejected(
        "the bank " + name + " has not been opened (DurableKit.bank opens it)");
  }

  private Effect<Event, Books> answer(ActorRef<Bank.Reply> replyTo, Bank.Reply reply) {
    return Effect().none().thenRun(ignored -> replyTo.tell(reply));
  }
}
