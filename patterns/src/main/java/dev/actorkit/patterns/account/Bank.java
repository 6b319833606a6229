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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Moves money between {@link Account} actors without any lock spanning two accounts: withdraw
 * from the source, then deposit into the destination, and if the destination refuses, deposit
 * the amount back into the source (compensation).
 *
 * <p><b>Money is never created or lost.</b> Each step carries a request id derived from the
 * transfer id ({@code id/withdraw}, {@code id/deposit}, {@code id/refund}); a step that is not
 * answered within {@link Settings#stepTimeout()} is sent again with the same id, and the account
 * applies it at most once. So between the withdrawal and the deposit (or refund) the amount is
 * in flight, held by the bank, and it always lands in exactly one account. The sum of all
 * balances plus {@link InFlight} is invariant; once transfers are answered, the sum of balances
 * alone is.
 *
 * <p><b>Replies.</b> {@link Transferred}; {@link Rejected} when nothing moved (bad input, the
 * source refused, or the destination refused and the amount went back); {@link InDoubt} when an
 * account never answered after {@link Settings#maxAttempts()} tries, so the amount stays in
 * flight. A transfer id seen before gets the first answer (or joins the transfer still running);
 * the last 10,000 outcomes are remembered.
 *
 * <p>Transfers run concurrently; two transfers from one account are ordered by that account's
 * mailbox, so the balance can never go below zero.
 */
public final class Bank extends AbstractBehavior<Bank.Command> {

  /** What the bank understands. */
  public sealed interface Command extends KitMessage {}

  /** Move {@code amount} from {@code from} to {@code to}; {@code transferId} makes a retry safe. */
  public record Transfer(String transferId, ActorRef<Account.Command> from, ActorRef<Account.Command> to, long amount, ActorRef<Reply> replyTo)
      implements Command {}

  /** Ask how much money is between accounts right now. */
  public record GetInFlight(ActorRef<Reply> replyTo) implements Command {}

  private record StepAnswered(String transferId, Step step, Account.Reply reply) implements Command {}

  private enum Step {
    WITHDRAW,
    DEPOSIT,
    REFUND
  }

  /** Every answer of the bank. */
  public sealed interface Reply extends KitMessage {}

  public record Transferred(String transferId, long amount) implements Reply {}

  /** Nothing moved. */
  public record Rejected(String reason) implements Reply, RejectedReply {}

  /** An account stopped answering; {@code amount} is held by the bank and the transfer is not finished. */
  public record InDoubt(String transferId, long amount, String reason) implements Reply {}

  /** The amount withdrawn but not yet deposited or refunded, across all transfers. */
  public record InFlight(long amount, int transfers) implements Reply {}

  /**
   * @param stepTimeout how long to wait for an account's answer before sending the step again (story time)
   * @param maxAttempts how many times a step is sent before the transfer is reported in doubt
   */
  public record Settings(Duration stepTimeout, int maxAttempts) {
    public Settings {
      Objects.requireNonNull(stepTimeout, "stepTimeout");
      if (stepTimeout.isNegative() || stepTimeout.isZero()) {
        throw new IllegalArgumentException("the step timeout must be positive, was " + stepTimeout);
      }
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
      }
    }

    /** One second per step, five attempts. */
    public static Settings defaults() {
      return new Settings(Duration.ofSeconds(1), 5);
    }
  }

  private static final class Pending {
    final Transfer transfer;
    final List<ActorRef<Reply>> replyTos = new ArrayList<>();
    Step step = Step.WITHDRAW;
    int attempts;
    String refusal;

    Pending(Transfer transfer) {
      this.transfer = transfer;
      replyTos.add(transfer.replyTo());
    }
  }

  public static Behavior<Command> create(Settings settings) {
    Objects.requireNonNull(settings, "settings");
    return Behaviors.setup(context -> new Bank(context, settings));
  }

  private final Settings settings;
  private final Duration realStepTimeout;
  private final Tracer tracer;
  private final Map<String, Pending> pending = new HashMap<>();
  private final Map<String, Reply> outcomes =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Reply> eldest) {
          return size() > 10_000;
        }
      };
  private long inFlight;
  private int inFlightTransfers;

  private Bank(ActorContext<Command> context, Settings settings) {
    super(context);
    this.settings = settings;
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
    String id = transfer.transferId();
    if (id == null || id.isBlank()) {
      transfer.replyTo().tell(new Rejected("a transfer needs a transfer id"));
      return this;
    }
    Reply known = outcomes.get(id);
    if (known != null) {
      transfer.replyTo().tell(known);
      return this;
    }
    Pending running = pending.get(id);
    if (running != null) {
      running.replyTos.add(transfer.replyTo());
      return this;
    }
    String refusal = refusal(transfer);
    if (refusal != null) {
      transfer.replyTo().tell(new Rejected(refusal));
      return this;
    }
    Pending started = new Pending(transfer);
    pending.put(id, started);
    tracer.emit(getContext().getSelf(), "requested", id);
    send(started);
    return this;
  }

  private static String refusal(Transfer transfer) {
    if (transfer.from() == null || transfer.to() == null) {
      return "a transfer needs a source and a destination";
    }
    if (transfer.from().equals(transfer.to())) {
      return "the source and the destination are the same account";
    }
    if (transfer.amount() <= 0) {
      return "the amount must be positive, was " + transfer.amount();
    }
    return null;
  }

  private Behavior<Command> onGetInFlight(GetInFlight query) {
    query.replyTo().tell(new InFlight(inFlight, inFlightTransfers));
    return this;
  }

  private Behavior<Command> onStepAnswered(StepAnswered answered) {
    Pending transfer = pending.get(answered.transferId());
    if (transfer == null || transfer.step != answered.step()) {
      return this; // a late duplicate answer to a step already handled
    }
    Account.Reply reply = answered.reply();
    long amount = transfer.transfer.amount();
    if (reply == null) {
      if (transfer.attempts >= settings.maxAttempts()) {
        finish(transfer, new InDoubt(transfer.transfer.transferId(), transfer.step == Step.WITHDRAW ? 0 : amount,
            "no answer to " + transfer.step.name().toLowerCase() + " after " + transfer.attempts + " attempts"));
      } else {
        send(transfer);
      }
      return this;
    }
    switch (transfer.step) {
      case WITHDRAW:
        if (reply instanceof Account.Withdrawn) {
          inFlight += amount;
          inFlightTransfers++;
          transfer.step = Step.DEPOSIT;
          transfer.attempts = 0;
          send(transfer);
        } else {
          finish(transfer, new Rejected("the source refused: " + reason(reply)));
        }
        break;
      case DEPOSIT:
        if (reply instanceof Account.Deposited) {
          landed(amount);
          finish(transfer, new Transferred(transfer.transfer.transferId(), amount));
        } else {
          transfer.refusal = reason(reply);
          transfer.step = Step.REFUND;
          transfer.attempts = 0;
          send(transfer);
        }
        break;
      case REFUND:
        if (reply instanceof Account.Deposited) {
          landed(amount);
          finish(transfer, new Rejected("the destination refused (" + transfer.refusal + "); the amount went back to the source"));
        } else {
          finish(transfer, new InDoubt(transfer.transfer.transferId(), amount, "the source refused the refund: " + reason(reply)));
        }
        break;
      default:
        throw new IllegalStateException("unknown step " + transfer.step);
    }
    return this;
  }

  private void landed(long amount) {
    inFlight -= amount;
    inFlightTransfers--;
  }

  private void send(Pending transfer) {
    transfer.attempts++;
    Transfer t = transfer.transfer;
    Step step = transfer.step;
    String id = t.transferId() + "/" + step.name().toLowerCase();
    ActorRef<Account.Command> target = step == Step.DEPOSIT ? t.to() : t.from();
    getContext()
        .ask(
            Account.Reply.class,
            target,
            realStepTimeout,
            (ActorRef<Account.Reply> replyTo) ->
                step == Step.WITHDRAW ? new Account.Withdraw(id, t.amount(), replyTo) : new Account.Deposit(id, t.amount(), replyTo),
            (reply, failure) -> new StepAnswered(t.transferId(), step, failure == null ? reply : null));
  }

  private void finish(Pending transfer, Reply outcome) {
    String id = transfer.transfer.transferId();
    pending.remove(id);
    outcomes.put(id, outcome);
    tracer.emit(getContext().getSelf(), "finished", outcome);
    transfer.replyTos.forEach(replyTo -> replyTo.tell(outcome));
  }

  private static String reason(Account.Reply reply) {
    return reply instanceof Account.Rejected rejected ? rejected.reason() : String.valueOf(reply);
  }
}
