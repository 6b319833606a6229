package dev.actorkit.patterns.account;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import dev.actorkit.core.KitClock;
import dev.actorkit.core.KitMessage;
import dev.actorkit.core.RejectedReply;
import dev.actorkit.core.trace.Tracer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Moves money between {@link Account} actors without any lock spanning two accounts: withdraw from
 * the source, then deposit into the destination, and if the destination refuses, deposit the amount
 * back into the source (compensation).
 *
 * <p><b>Money is never created or lost.</b> Each step carries a request id derived from the
 * transfer id ({@code id/withdraw}, {@code id/deposit}, {@code id/refund}); a step that is not
 * answered within {@link Settings#stepTimeout()} is sent again with the same id, and the account
 * applies it at most once. So between the withdrawal and the deposit (or refund) the amount is in
 * flight, held by the bank, and it always lands in exactly one account. The sum of all balances
 * plus {@link InFlight} is invariant; once transfers are answered, the sum of balances alone is.
 *
 * <p><b>Replies.</b> {@link Transferred}; {@link Rejected} when nothing moved (bad input, the
 * source refused, or the destination refused and the amount went back); {@link InDoubt} when an
 * account did not answer after {@link Settings#maxAttempts()} tries: the transfer is stalled, its
 * amount (if withdrawn) stays in flight, and sending the same transfer id again resumes it at the
 * step where it stopped, with the same request id. A transfer id seen before gets the first final
 * answer (or joins the transfer still running).
 *
 * <p><b>How long ids are remembered.</b> Running and in-doubt transfers are never forgotten, and
 * neither are their steps: before each step the bank tells the account to {@link Account.Keep keep}
 * the step's id, and only when the transfer is over does it tell the accounts to {@link
 * Account.Forget forget} them, so a transfer resumed after any number of other requests still
 * applies each step once. The outcomes of finished transfers are remembered for the last {@link
 * Settings#rememberedOutcomes()} (10,000 by default) transfers; an id repeated later than that is a
 * new transfer.
 *
 * <p>Transfers run concurrently; two transfers from one account are ordered by that account's
 * mailbox, so the balance can never go below zero.
 */
public final class Bank extends AbstractBehavior<Bank.Command> {

  /** What the bank understands. */
  public sealed interface Command extends KitMessage {}

  /** Move {@code amount} from {@code from} to {@code to}; {@code transferId} makes a retry safe. */
  public record Transfer(
      String transferId,
      ActorRef<Account.Command> from,
      ActorRef<Account.Command> to,
      long amount,
      ActorRef<Reply> replyTo)
      implements Command {}

  /** Ask how much money is between accounts right now. */
  public record GetInFlight(ActorRef<Reply> replyTo) implements Command {}

  private record StepAnswered(String transferId, BankState.Step step, Account.Reply reply)
      implements Command {}

  /** Every answer of the bank. */
  public sealed interface Reply extends KitMessage {}

  public record Transferred(String transferId, long amount) implements Reply {}

  /** Nothing moved. */
  public record Rejected(String reason) implements Reply, RejectedReply {}

  /**
   * An account stopped answering; {@code amount} is held by the bank; the same transfer id again
   * resumes the transfer.
   */
  public record InDoubt(String transferId, long amount, String reason) implements Reply {}

  /** The amount withdrawn but not yet deposited or refunded, across all transfers. */
  public record InFlight(long amount, int transfers) implements Reply {}

  /**
   * @param stepTimeout how long to wait for an account's answer before sending the step again
   *     (story time)
   * @param maxAttempts how many times a step is sent before the transfer is reported in doubt
   */
  public record Settings(Duration stepTimeout, int maxAttempts, int rememberedOutcomes) {
    public Settings {
      Objects.requireNonNull(stepTimeout, "stepTimeout");
      if (stepTimeout.isNegative() || stepTimeout.isZero()) {
        throw new IllegalArgumentException("the step timeout must be positive, was " + stepTimeout);
      }
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
      }
      if (rememberedOutcomes < 1) {
        throw new IllegalArgumentException(
            "rememberedOutcomes must be at least 1, was " + rememberedOutcomes);
      }
    }

    /** These step settings, remembering the outcomes of the last 10,000 finished transfers. */
    public Settings(Duration stepTimeout, int maxAttempts) {
      this(stepTimeout, maxAttempts, 10_000);
    }

    /**
     * These settings, remembering the outcomes of the last {@code rememberedOutcomes} finished
     * transfers: a transfer id repeated after that many others is a new transfer, so make it at
     * least as large as the number of transfers that may finish while a caller still retries.
     */
    public Settings rememberingLast(int rememberedOutcomes) {
      return new Settings(stepTimeout, maxAttempts, rememberedOutcomes);
    }

    /** One second per step, five attempts. */
    public static Settings defaults() {
      return new Settings(Duration.ofSeconds(1), 5);
    }
  }

  public static Behavior<Command> create(Settings settings) {
    Objects.requireNonNull(settings, "settings");
    return Behaviors.setup(context -> new Bank(context, settings));
  }

  private final Duration realStepTimeout;
  private final Tracer tracer;
  private final BankState<ActorRef<Account.Command>, ActorRef<Reply>> state;

  private Bank(ActorContext<Command> context, Settings settings) {
    super(context);
    this.state = new BankState<>(settings.maxAttempts(), settings.rememberedOutcomes());
    this.realStepTimeout = KitClock.get(context.getSystem()).toReal(settings.stepTimeout());
    this.tracer = Tracer.get(context.getSystem());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Transfer.class, this::onTransfer)
        .onMessage(GetInFlight.class, this::onGetInFlight)
        .onMessage(StepAnswered.class, this::onStepAnswered)
        .build();
  }

  private Behavior<Command> onTransfer(Transfer transfer) {
    if (tracer.enabled()) {
      tracer.emit(
          getContext().getSelf(),
          "requested",
          transfer.replyTo(),
          transfer.transferId() + ": " + transfer.amount());
    }
    perform(
        state.start(
            transfer.transferId(),
            transfer.from(),
            transfer.to(),
            transfer.amount(),
            transfer.replyTo()));
    return this;
  }

  /**
   * Traces a transfer's outcome for its first caller (nobody in particular for a transfer resumed
   * after a recovery, which has none): the one way every bank, durable ones included, does it.
   */
  public static void traceFinished(
      Tracer tracer, ActorRef<?> bank, List<? extends ActorRef<?>> callers, Object outcome) {
    if (!tracer.enabled()) {
      return;
    }
    if (callers.isEmpty()) {
      tracer.emit(bank, "finished", outcome);
    } else {
      tracer.emit(bank, "finished", callers.get(0), outcome);
    }
  }

  private Behavior<Command> onGetInFlight(GetInFlight query) {
    query.replyTo().tell(new InFlight(state.inFlight(), state.inFlightTransfers()));
    return this;
  }

  private Behavior<Command> onStepAnswered(StepAnswered answered) {
    perform(state.answered(answered.transferId(), answered.step(), answered.reply()));
    return this;
  }

  private void perform(BankState.Action<ActorRef<Account.Command>, ActorRef<Reply>> action) {
    if (action instanceof BankState.Send<ActorRef<Account.Command>, ActorRef<Reply>> send) {
      send(send);
    } else if (action
        instanceof BankState.Finish<ActorRef<Account.Command>, ActorRef<Reply>> finish) {
      traceFinished(tracer, getContext().getSelf(), finish.replyTos(), finish.outcome());
      finish.replyTos().forEach(replyTo -> replyTo.tell(finish.outcome()));
      if (finish.over() != null) {
        forgetSteps(finish.over());
      }
    }
  }

  /** The transfer is over: its accounts may let go of the answers to its steps. */
  private static void forgetSteps(BankState.Over<ActorRef<Account.Command>> over) {
    over.from().tell(new Account.Forget(BankState.Step.WITHDRAW.requestId(over.transferId())));
    over.from().tell(new Account.Forget(BankState.Step.REFUND.requestId(over.transferId())));
    over.to().tell(new Account.Forget(BankState.Step.DEPOSIT.requestId(over.transferId())));
  }

  /**
   * Sends one step and turns its answer, or its absence within the step timeout, into a message.
   * The step's id is kept by the account first ({@link Account.Keep}): a transfer that stalls in
   * doubt may be resumed after the account has served any number of other requests, and the account
   * must still know the step it already applied.
   */
  private void send(BankState.Send<ActorRef<Account.Command>, ActorRef<Reply>> send) {
    String requestId = send.requestId();
    send.account().tell(new Account.Keep(requestId));
    BankState.Step step = send.step();
    long amount = send.amount();
    getContext()
        .ask(
            Account.Reply.class,
            send.account(),
            realStepTimeout,
            (ActorRef<Account.Reply> replyTo) ->
                step == BankState.Step.WITHDRAW
                    ? new Account.Withdraw(requestId, amount, replyTo)
                    : new Account.Deposit(requestId, amount, replyTo),
            (reply, failure) ->
                new StepAnswered(send.transferId(), step, failure == null ? reply : null));
  }
}
